-- Where the Salesforce poll stands, per object and stream (CHANGES: query by SystemModstamp; DELETES:
-- queryAll IsDeleted = true). Advanced in the same transaction that commits a page's changes to the
-- inbox, so a crash never moves it past a change the inbox does not hold. Valid on H2 and PostgreSQL.
CREATE TABLE salesforce_watermark (
    sobject     VARCHAR(100) NOT NULL,
    stream      VARCHAR(20)  NOT NULL,
    watermark   TIMESTAMP WITH TIME ZONE NOT NULL, -- highest SystemModstamp committed to the inbox
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sobject, stream)
);

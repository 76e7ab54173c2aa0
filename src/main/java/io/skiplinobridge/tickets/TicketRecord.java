package io.skiplinobridge.tickets;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.Attributes;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * One ticket record for a composite sObject collections upsert. Its fields come from configuration
 * ({@code bridge.tickets.salesforce.fields}), so they are a map written as top-level JSON fields; the
 * base sObject fields (Id, Name, …) are left out because they are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TicketRecord extends AbstractDescribedSObjectBase {

    private final String sObject;
    private final Map<String, Object> fields;

    TicketRecord(String sObject, Map<String, Object> fields) {
        this.sObject = sObject;
        this.fields = new LinkedHashMap<>(fields);
        Attributes attributes = new Attributes();
        attributes.setType(sObject);
        setAttributes(attributes);
    }

    /** The mapped fields, null values included: a mapped property that is absent clears its field. */
    @JsonAnyGetter
    @JsonInclude(content = JsonInclude.Include.ALWAYS)
    public Map<String, Object> getFields() {
        return fields;
    }

    @Override
    public SObjectDescription description() {
        SObjectDescription description = new SObjectDescription();
        description.setName(sObject);
        return description;
    }
}

package io.skiplinobridge.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.Attributes;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * One record of a write-back sObject Collections call: its key ({@code Id}, or the external id field)
 * and the write-back field, written as top-level JSON fields; the base sObject fields stay out (null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class WriteBackRecord extends AbstractDescribedSObjectBase {

    private final String sObject;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    WriteBackRecord(String sObject, String keyField, String key, String field, String value) {
        this.sObject = sObject;
        fields.put(keyField, key);
        fields.put(field, value);
        Attributes attributes = new Attributes();
        attributes.setType(sObject);
        setAttributes(attributes);
    }

    @JsonAnyGetter
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

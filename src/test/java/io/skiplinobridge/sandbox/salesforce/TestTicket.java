package io.skiplinobridge.sandbox.salesforce;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.Attributes;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * A hand-written Skiplino_Ticket__c DTO, as the bridge's connector sends them through
 * {@code compositeUpsertSObjectCollections}: no generated classes needed.
 */
public class TestTicket extends AbstractDescribedSObjectBase {

    static final String TYPE = "Skiplino_Ticket__c";

    @JsonProperty("Skiplino_Ticket_Id__c")
    private String ticketId;

    @JsonProperty("Status__c")
    private String status;

    @JsonProperty("Contact__r")
    private Map<String, Object> contact;

    @JsonProperty("Contact__c")
    private String contactId;

    public TestTicket() {
        Attributes attributes = new Attributes();
        attributes.setType(TYPE);
        setAttributes(attributes);
    }

    /** A ticket whose contact is referenced by the contact's external id field {@code Bridge_Key__c}. */
    static TestTicket forContactKey(String ticketId, String status, String contactKey) {
        TestTicket ticket = new TestTicket();
        ticket.ticketId = ticketId;
        ticket.status = status;
        ticket.contact = Map.of("attributes", Map.of("type", "Contact"), "Bridge_Key__c", contactKey);
        return ticket;
    }

    /** A ticket whose contact lookup holds a record id directly. */
    static TestTicket forContactId(String ticketId, String status, String contactId) {
        TestTicket ticket = new TestTicket();
        ticket.ticketId = ticketId;
        ticket.status = status;
        ticket.contactId = contactId;
        return ticket;
    }

    public String getTicketId() {
        return ticketId;
    }

    public String getStatus() {
        return status;
    }

    public Map<String, Object> getContact() {
        return contact;
    }

    public String getContactId() {
        return contactId;
    }

    @Override
    public SObjectDescription description() {
        SObjectDescription description = new SObjectDescription();
        description.setName(TYPE);
        return description;
    }
}

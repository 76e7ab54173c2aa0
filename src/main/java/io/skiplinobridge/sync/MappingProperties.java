package io.skiplinobridge.sync;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a canonical CRM customer becomes Skiplino's customer payload ({@code bridge.mapping.*}).
 *
 * @param defaultRegion  region for mobile numbers written without a country code (ISO 3166 alpha-2)
 * @param clearedFields  how a field the CRM cleared is sent on update (DESIGN.md §6 open question)
 * @param lowercaseEmail lower-case emails before sending
 * @param invalidEmail   what an invalid email does to the customer
 * @param invalidMobile  what an invalid mobile number does to the customer
 * @param metadata       metadata shaping
 */
@ConfigurationProperties("bridge.mapping")
public record MappingProperties(
        @DefaultValue("BH") String defaultRegion,
        @DefaultValue("NULL") ClearedFieldPolicy clearedFields,
        @DefaultValue("true") boolean lowercaseEmail,
        @DefaultValue("REJECT") InvalidValuePolicy invalidEmail,
        @DefaultValue("REJECT") InvalidValuePolicy invalidMobile,
        @DefaultValue Metadata metadata) {

    /**
     * @param staticEntries entries added to every customer's metadata (a CRM value with the same key wins)
     * @param exclude       metadata keys never sent to Skiplino
     */
    public record Metadata(Map<String, String> staticEntries, List<String> exclude) {

        public Metadata {
            staticEntries = staticEntries == null ? Map.of() : Map.copyOf(staticEntries);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
        }
    }

    /** How a CRM field that became empty is sent on a Skiplino partial update. */
    public enum ClearedFieldPolicy {
        /** send {@code null}: the sandbox clears the field (assumed Skiplino behaviour) */
        NULL,
        /** send {@code ""} */
        EMPTY,
        /** leave the field out: Skiplino keeps its old value */
        OMIT
    }

    /** What an invalid email or mobile does. */
    public enum InvalidValuePolicy {
        /** the customer is not sent; the change is parked with the reason */
        REJECT,
        /** the customer is sent without that field, and a warning is logged */
        DROP
    }
}

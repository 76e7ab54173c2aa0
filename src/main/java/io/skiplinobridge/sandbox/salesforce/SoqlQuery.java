package io.skiplinobridge.sandbox.salesforce;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed query of the supported SOQL subset. Field names are as written; they are matched against
 * the object's fields when the query runs.
 */
record SoqlQuery(List<String> fields, String object, Optional<SoqlCondition> where, List<OrderItem> orderBy,
                 OptionalInt limit) {

    SoqlQuery {
        fields = List.copyOf(fields);
        orderBy = List.copyOf(orderBy);
    }

    record OrderItem(String field, boolean descending, boolean nullsLast) {
    }
}

package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.skiplinobridge.sandbox.salesforce.SoqlCondition.Operator;
import io.skiplinobridge.sandbox.salesforce.SoqlQuery.OrderItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoqlParserTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String ID_1 = SalesforceIds.of("003", 1);
    private static final String ID_2 = SalesforceIds.of("003", 2);

    @Test
    void parsesTheBridgesPollingQuery() {
        SoqlQuery query = SoqlParser.parse("select Id, Email, SystemModstamp from Contact "
                + "where (SystemModstamp > 2026-11-26T10:00:00.000Z) or (SystemModstamp = 2026-11-26T10:00:00.000Z and Id > '"
                + ID_1 + "') order by SystemModstamp asc, Id desc nulls last limit 500");

        assertThat(query.fields()).containsExactly("Id", "Email", "SystemModstamp");
        assertThat(query.object()).isEqualTo("Contact");
        assertThat(query.orderBy()).containsExactly(new OrderItem("SystemModstamp", false, false), new OrderItem("Id", true, true));
        assertThat(query.limit()).hasValue(500);
        SoqlCondition where = query.where().orElseThrow();
        assertThat(where.test(record(ID_2, T0.plusMillis(1), false))).isTrue();
        assertThat(where.test(record(ID_2, T0, false))).isTrue();
        assertThat(where.test(record(ID_1, T0, false))).isFalse();
        assertThat(where.test(record(ID_2, T0.minusMillis(1), false))).isFalse();
    }

    @Test
    void andBindsTheComparisonsOfOneGroup() {
        SoqlCondition where = SoqlParser.parse("SELECT Id FROM Contact WHERE IsDeleted = true AND "
                + "SystemModstamp >= 2026-11-26T13:00:00+03:00 AND SystemModstamp < 2026-11-26T11:00:00Z").where().orElseThrow();

        assertThat(where).isEqualTo(new SoqlCondition.All(List.of(new SoqlCondition.IsDeleted(true),
                new SoqlCondition.DateTimeComparison("SystemModstamp", Operator.GE, T0),
                new SoqlCondition.DateTimeComparison("SystemModstamp", Operator.LT, T0.plusSeconds(3600)))));
        assertThat(where.test(record(ID_1, T0, true))).isTrue();
        assertThat(where.test(record(ID_1, T0, false))).isFalse();
    }

    @Test
    void idInAcceptsFifteenAndEighteenCharacterIds() {
        SoqlCondition where = SoqlParser.parse("SELECT Id FROM Contact WHERE Id IN ('" + ID_1.substring(0, 15) + "', '"
                + ID_2 + "')").where().orElseThrow();

        assertThat(where).isEqualTo(new SoqlCondition.IdIn(Set.of(ID_1, ID_2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "SELECT FROM Contact",
        "SELECT Id Contact",
        "SELECT Id, FROM Contact",
        "SELECT Id, Id FROM Contact",
        "SELECT Id FROM Contact WHERE",
        "SELECT Id FROM Contact WHERE Email = 'x@example.com'",
        "SELECT Id FROM Contact WHERE SystemModstamp > '2026-11-26T10:00:00Z'",
        "SELECT Id FROM Contact WHERE SystemModstamp > 2026-11-26",
        "SELECT Id FROM Contact WHERE SystemModstamp > TODAY",
        "SELECT Id FROM Contact WHERE SystemModstamp != 2026-11-26T10:00:00Z",
        "SELECT Id FROM Contact WHERE IsDeleted > true",
        "SELECT Id FROM Contact WHERE IsDeleted = 1",
        "SELECT Id FROM Contact WHERE Id = 'not-an-id'",
        "SELECT Id FROM Contact WHERE Id = '003000000000001AAB'",
        "SELECT Id FROM Contact WHERE IsDeleted = true AND Id > '003000000000001AAA' OR IsDeleted = false",
        "SELECT Id FROM Contact WHERE (IsDeleted = true",
        "SELECT Id FROM Contact WHERE NOT IsDeleted = true",
        "SELECT Id FROM Contact ORDER Id",
        "SELECT Id FROM Contact LIMIT",
        "SELECT Id FROM Contact LIMIT 10 OFFSET 10",
        "SELECT Id FROM Contact LIMIT 99999999999",
        "SELECT Account.Name FROM Contact",
        "SELECT COUNT() FROM Contact",
        "SELECT Id FROM Contact; DELETE",
        "SELECT Id FROM Contact WHERE Id = 'unterminated"})
    void anythingOutsideTheSubsetIsMalformed(String soql) {
        assertThatThrownBy(() -> SoqlParser.parse(soql))
                .isInstanceOfSatisfying(SalesforceApiException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(400);
                    assertThat(failure.errorCode()).isEqualTo("MALFORMED_QUERY");
                    assertThat(failure.getMessage()).isNotBlank();
                });
    }

    @Test
    void errorNamesTheOffendingTokenAndColumn() {
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact WHERE Email = 'x'"))
                .hasMessageContaining("'Email' at column 30");
    }

    private static SObjectRecord record(String id, Instant stamp, boolean deleted) {
        return new SObjectRecord(id, "Contact", Map.of(), stamp, stamp, stamp, deleted);
    }
}

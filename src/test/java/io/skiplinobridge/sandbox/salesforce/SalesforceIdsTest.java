package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SalesforceIdsTest {

    @Test
    void suffixIsSalesforcesCaseSafeChecksum() {
        assertThat(SalesforceIds.withSuffix("001A0000006Vm9r")).isEqualTo("001A0000006Vm9rIAC");
        assertThat(SalesforceIds.withSuffix("003000000000001")).isEqualTo("003000000000001AAA");
    }

    @Test
    void idsCarryTheKeyPrefixAndSortByCreation() {
        String earlier = SalesforceIds.of("003", 61);
        String later = SalesforceIds.of("003", 62);

        assertThat(earlier).hasSize(18).startsWith("003");
        assertThat(earlier.compareTo(later)).isNegative();
        assertThat(SalesforceIds.of("a00", 1)).startsWith("a00");
    }

    @Test
    void normalizeAcceptsBothFormsAndRejectsBadChecksums() {
        assertThat(SalesforceIds.normalize("001A0000006Vm9r")).hasValue("001A0000006Vm9rIAC");
        assertThat(SalesforceIds.normalize("001A0000006Vm9riac")).hasValue("001A0000006Vm9rIAC");
        assertThat(SalesforceIds.normalize("001A0000006Vm9rIAD")).isEmpty();
        assertThat(SalesforceIds.normalize("001A0000006Vm9-IAC")).isEmpty();
        assertThat(SalesforceIds.normalize("too-short")).isEmpty();
        assertThat(SalesforceIds.normalize(null)).isEmpty();
    }
}

package io.skiplinobridge.sandbox.skiplino;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.skiplinobridge.sandbox.skiplino.CustomerDirectory.Locator;
import io.skiplinobridge.sandbox.skiplino.CustomerPatch.Change;
import org.junit.jupiter.api.Test;

/** The directory at benchmark size, without HTTP: 200,000 customers, written from several threads. */
class CustomerDirectoryTest {

    static SkiplinoSandboxProperties properties(Set<String> changeTimeStatuses) {
        return new SkiplinoSandboxProperties("sk_sandbox_secret", "pk_sandbox_public", "cmp_sandbox",
                ZoneId.of("Asia/Bahrain"), "en", changeTimeStatuses, SkiplinoSandboxProperties.EmptyStringOnUpdate.CLEAR,
                LocalTime.of(8, 0), LocalTime.of(20, 0), 30, 3, 3, 1000);
    }

    private final CustomerDirectory directory = new CustomerDirectory(
            Clock.fixed(Instant.parse("2026-06-23T11:00:00Z"), ZoneOffset.UTC), properties(Set.of("waiting")));

    @Test
    void holdsTwoHundredThousandCustomersWithLookupsAndNewestFirstPages() {
        IntStream.range(0, 200_000).parallel().forEach(i -> directory.create(patch("crm-" + i)));

        assertThat(directory.count()).isEqualTo(200_000);
        assertThat(directory.require(Locator.externalId("externalId", "crm-123456")).externalId()).isEqualTo("crm-123456");
        List<StoredCustomer> lastPage = directory.newestFirst(2000, 100);
        assertThat(lastPage).hasSize(100);
        List<StoredCustomer> firstPage = directory.newestFirst(1, 100);
        assertThat(directory.all().get(0)).isEqualTo(firstPage.get(0));
        assertThat(directory.all().get(199_999)).isEqualTo(lastPage.get(99));

        String id = directory.require(Locator.externalId("externalId", "crm-5")).id();
        directory.delete(Locator.id("id", id));

        assertThat(directory.count()).isEqualTo(199_999);
        assertThat(directory.find(Locator.externalId("externalId", "crm-5"))).isEmpty();
        assertThat(directory.newestFirst(2000, 100)).hasSize(99);
    }

    private static CustomerPatch patch(String externalId) {
        return new CustomerPatch(Change.set(externalId), Change.set("Customer " + externalId), Change.absent(),
                Change.absent(), Change.absent());
    }
}

package io.skiplinobridge.sandbox.skiplino;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded Skiplino sandbox ({@code bridge.sandbox.skiplino.*}); every key is
 * commented in {@code config/application.yaml}, and the defaults here mirror that file.
 */
@ConfigurationProperties("bridge.sandbox.skiplino")
record SkiplinoSandboxProperties(
        @DefaultValue("sk_sandbox_secret") String secretKey,
        @DefaultValue("pk_sandbox_public") String publicKey,
        @DefaultValue("cmp_sandbox") String companyId,
        @DefaultValue("Asia/Bahrain") ZoneId timezone,
        @DefaultValue("en") String defaultLocale,
        @DefaultValue({"upcoming", "waiting"}) Set<String> changeTimeStatuses,
        @DefaultValue("clear") EmptyStringOnUpdate emptyStringOnUpdate,
        @DefaultValue("08:00") LocalTime slotsOpenAt,
        @DefaultValue("20:00") LocalTime slotsCloseAt,
        @DefaultValue("30") int slotMinutes,
        @DefaultValue("3") int slotCapacity,
        @DefaultValue("3") int minutesPerWaitingCustomer,
        @DefaultValue("100000") int requestLogCapacity) {

    /** What {@code ""} in a partial customer update does (the Skiplino docs are silent). */
    enum EmptyStringOnUpdate {
        /** {@code ""} removes the field, like {@code null}: an empty value is never stored. */
        CLEAR,
        /** {@code ""} is treated as if the field had been omitted. */
        IGNORE
    }
}

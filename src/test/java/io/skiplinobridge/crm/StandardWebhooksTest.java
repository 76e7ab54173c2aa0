package io.skiplinobridge.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import io.skiplinobridge.crm.StandardWebhooks.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksTest {

    // The Standard Webhooks reference test vector; the signature was computed independently with
    // printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' \
    //   | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(echo -n MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 256) -binary | base64
    private static final WebhookSecret REFERENCE_SECRET = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final String REFERENCE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long REFERENCE_TIMESTAMP = 1614265330L;
    private static final byte[] REFERENCE_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String REFERENCE_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final WebhookSecret OTHER_SECRET = WebhookSecret.generate();

    private static StandardWebhooks at(long epochSecond, WebhookSecret... secrets) {
        return new StandardWebhooks(List.of(secrets), Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static Verification verifyReference(StandardWebhooks webhooks, String signatures) {
        return webhooks.verify(REFERENCE_ID, Long.toString(REFERENCE_TIMESTAMP), signatures, REFERENCE_BODY);
    }

    @Test
    void signsLikeTheReferenceImplementation() {
        assertThat(at(REFERENCE_TIMESTAMP, REFERENCE_SECRET).sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY))
                .isEqualTo(REFERENCE_SIGNATURE);
    }

    @Test
    void acceptsTheReferenceSignature() {
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP, REFERENCE_SECRET), REFERENCE_SIGNATURE))
                .isEqualTo(Verification.VALID);
    }

    @Test
    void refusesAChangedBodyIdOrTimestamp() {
        StandardWebhooks webhooks = at(REFERENCE_TIMESTAMP, REFERENCE_SECRET);

        assertThat(webhooks.verify(REFERENCE_ID, Long.toString(REFERENCE_TIMESTAMP), REFERENCE_SIGNATURE,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8))).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(webhooks.verify(REFERENCE_ID + "x", Long.toString(REFERENCE_TIMESTAMP), REFERENCE_SIGNATURE,
                REFERENCE_BODY)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(webhooks.verify(REFERENCE_ID, Long.toString(REFERENCE_TIMESTAMP + 1), REFERENCE_SIGNATURE,
                REFERENCE_BODY)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP, OTHER_SECRET), REFERENCE_SIGNATURE))
                .isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void signsWithEverySecretAndAcceptsAnyOfThemDuringRotation() {
        StandardWebhooks both = at(REFERENCE_TIMESTAMP, REFERENCE_SECRET, OTHER_SECRET);

        String signatures = both.sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY);

        assertThat(signatures.split(" ")).hasSize(2).startsWith(REFERENCE_SIGNATURE);
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP, OTHER_SECRET), signatures)).isEqualTo(Verification.VALID);
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP, REFERENCE_SECRET), signatures)).isEqualTo(Verification.VALID);
        // a receiver holding old and new secret accepts a sender that has only the new one
        assertThat(verifyReference(both, REFERENCE_SIGNATURE)).isEqualTo(Verification.VALID);
    }

    @Test
    void skipsSignaturesOfOtherVersionsAndMalformedEntries() {
        StandardWebhooks webhooks = at(REFERENCE_TIMESTAMP, REFERENCE_SECRET);
        String sameBytesOtherVersion = REFERENCE_SIGNATURE.replace("v1,", "v1a,");

        assertThat(verifyReference(webhooks, "v1a,bm90IGFuIGVkMjU1MTkgc2lnbmF0dXJl v2,xyz , v1 v1, " + REFERENCE_SIGNATURE))
                .isEqualTo(Verification.VALID);
        assertThat(verifyReference(webhooks, sameBytesOtherVersion)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(verifyReference(webhooks, "V1," + REFERENCE_SIGNATURE.substring(3)))
                .isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(verifyReference(webhooks, "v1,not-base64!")).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void acceptsTimestampsUpToFiveMinutesAwayInEitherDirection() {
        String signature = REFERENCE_SIGNATURE;

        assertThat(verifyReference(at(REFERENCE_TIMESTAMP + 300, REFERENCE_SECRET), signature)).isEqualTo(Verification.VALID);
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP - 300, REFERENCE_SECRET), signature)).isEqualTo(Verification.VALID);
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP + 301, REFERENCE_SECRET), signature))
                .isEqualTo(Verification.TIMESTAMP_TOO_OLD);
        assertThat(verifyReference(at(REFERENCE_TIMESTAMP - 301, REFERENCE_SECRET), signature))
                .isEqualTo(Verification.TIMESTAMP_TOO_NEW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1614265330", "+1614265330", "1614265330.0", "1e9", "1234567890123456789012"})
    void refusesATimestampThatIsNotUnixSeconds(String timestamp) {
        assertThat(at(REFERENCE_TIMESTAMP, REFERENCE_SECRET).verify(REFERENCE_ID, timestamp, REFERENCE_SIGNATURE,
                REFERENCE_BODY)).isEqualTo(Verification.INVALID_TIMESTAMP);
    }

    @Test
    void refusesMissingOrBlankHeaders() {
        StandardWebhooks webhooks = at(REFERENCE_TIMESTAMP, REFERENCE_SECRET);
        String timestamp = Long.toString(REFERENCE_TIMESTAMP);

        assertThat(webhooks.verify(null, timestamp, REFERENCE_SIGNATURE, REFERENCE_BODY)).isEqualTo(Verification.MISSING_HEADERS);
        assertThat(webhooks.verify(REFERENCE_ID, null, REFERENCE_SIGNATURE, REFERENCE_BODY)).isEqualTo(Verification.MISSING_HEADERS);
        assertThat(webhooks.verify(REFERENCE_ID, timestamp, null, REFERENCE_BODY)).isEqualTo(Verification.MISSING_HEADERS);
        assertThat(webhooks.verify(" ", timestamp, REFERENCE_SIGNATURE, REFERENCE_BODY)).isEqualTo(Verification.MISSING_HEADERS);
    }

    @Test
    void verifiesNothingWithoutSecretsAndCannotSign() {
        StandardWebhooks none = at(REFERENCE_TIMESTAMP);

        assertThat(none.hasSecrets()).isFalse();
        assertThat(verifyReference(none, REFERENCE_SIGNATURE)).isEqualTo(Verification.NO_SECRETS);
        assertThatThrownBy(() -> none.sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void headersCarryTheClockTimeAndAVerifiableSignature() {
        StandardWebhooks webhooks = at(1_800_000_000L, OTHER_SECRET);
        byte[] body = "{\"id\":\"t-1\"}".getBytes(StandardCharsets.UTF_8);

        var headers = webhooks.headers("t-1:2026-11-26T10:00:00Z", body);

        assertThat(headers).containsEntry(StandardWebhooks.ID_HEADER, "t-1:2026-11-26T10:00:00Z")
                .containsEntry(StandardWebhooks.TIMESTAMP_HEADER, "1800000000");
        assertThat(webhooks.verify(headers.get(StandardWebhooks.ID_HEADER), headers.get(StandardWebhooks.TIMESTAMP_HEADER),
                headers.get(StandardWebhooks.SIGNATURE_HEADER), body)).isEqualTo(Verification.VALID);
    }

    @Test
    void staysCorrectWhenManyThreadsVerifyAtOnce() {
        StandardWebhooks webhooks = at(REFERENCE_TIMESTAMP, OTHER_SECRET, REFERENCE_SECRET);

        List<Verification> results = IntStream.range(0, 20_000).parallel()
                .mapToObj(i -> i % 2 == 0
                        ? verifyReference(webhooks, REFERENCE_SIGNATURE)
                        : webhooks.verify(REFERENCE_ID, Long.toString(REFERENCE_TIMESTAMP), REFERENCE_SIGNATURE,
                                ("{\"test\": " + i + "}").getBytes(StandardCharsets.UTF_8)))
                .toList();

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).as("request %d", i)
                    .isEqualTo(i % 2 == 0 ? Verification.VALID : Verification.NO_MATCHING_SIGNATURE);
        }
    }
}

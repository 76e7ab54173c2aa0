package io.skiplinobridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;
import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * The org's OAuth 2.0 token endpoint and its access tokens. Grants: {@code password},
 * {@code refresh_token}, {@code urn:ietf:params:oauth:grant-type:jwt-bearer} and
 * {@code client_credentials}, checked against {@link SalesforceSandboxProperties}.
 */
@Component
@ConditionalOnSandbox
class SalesforceSandboxAuth {

    static final String ORG_ID = "00D000000000001AAA";
    static final String USER_ID = "005000000000001AAA";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final SalesforceSandboxProperties properties;
    private final Clock clock;
    private final Optional<PublicKey> jwtKey;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> tokenExpiries = new ConcurrentHashMap<>();

    SalesforceSandboxAuth(SalesforceSandboxProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.jwtKey = loadCertificateKey(properties.jwtCertificate());
    }

    /**
     * Checks a token request and issues an access token for {@code instanceUrl}; the answer is the
     * token response Salesforce sends (the {@code id} URL ends in the org and user ids).
     */
    Map<String, String> token(Map<String, String> form, String instanceUrl) {
        String grantType = form.getOrDefault("grant_type", "");
        switch (grantType) {
            case "password" -> {
                requireClient(form, true);
                if (!matches(properties.username(), form.get("username"))
                        || !matches(properties.password(), form.get("password"))) {
                    throw OAuthException.invalidGrant("authentication failure");
                }
            }
            case "refresh_token" -> {
                requireClient(form, form.containsKey("client_secret"));
                if (!matches(properties.refreshToken(), form.get("refresh_token"))) {
                    throw OAuthException.invalidGrant("expired access/refresh token");
                }
            }
            case JWT_BEARER -> checkAssertion(form.get("assertion"), instanceUrl);
            case "client_credentials" -> requireClient(form, true);
            default -> throw new OAuthException("unsupported_grant_type", "grant type not supported");
        }
        Instant now = clock.instant();
        String accessToken = ORG_ID.substring(0, 15) + "!" + randomToken();
        tokenExpiries.put(accessToken, now.plus(properties.tokenLifetime()));
        String id = instanceUrl + "/id/" + ORG_ID + "/" + USER_ID;
        String issuedAt = Long.toString(now.toEpochMilli());
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("access_token", accessToken);
        answer.put("instance_url", instanceUrl);
        answer.put("id", id);
        answer.put("token_type", "Bearer");
        answer.put("issued_at", issuedAt);
        answer.put("signature", sign(id + issuedAt));
        return answer;
    }

    boolean isValid(String accessToken) {
        if (accessToken == null) {
            return false;
        }
        Instant expiry = tokenExpiries.get(accessToken);
        if (expiry == null) {
            return false;
        }
        if (!clock.instant().isBefore(expiry)) {
            tokenExpiries.remove(accessToken);
            return false;
        }
        return true;
    }

    void revoke(String accessToken) {
        if (accessToken != null) {
            tokenExpiries.remove(accessToken);
        }
    }

    /** Every issued token stops working now: the next API call gets 401 {@code INVALID_SESSION_ID}. */
    void expireAll() {
        tokenExpiries.clear();
    }

    /**
     * Unknown client and wrong secret both answer {@code invalid_grant}; real Salesforce says
     * {@code invalid_client_id} / {@code invalid_client}, which camel-salesforce treats the same way.
     */
    private void requireClient(Map<String, String> form, boolean secretRequired) {
        if (!matches(properties.clientId(), form.get("client_id"))) {
            throw OAuthException.invalidGrant("client identifier invalid");
        }
        if (secretRequired && !matches(properties.clientSecret(), form.get("client_secret"))) {
            throw OAuthException.invalidGrant("invalid client credentials");
        }
    }

    private void checkAssertion(String assertion, String instanceUrl) {
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3) {
            throw OAuthException.invalidGrant("invalid assertion");
        }
        Map<String, Object> header = decodeJson(parts[0]);
        Map<String, Object> claims = decodeJson(parts[1]);
        if (!"RS256".equals(header.get("alg"))) {
            throw OAuthException.invalidGrant("invalid assertion: alg must be RS256");
        }
        if (!matches(properties.clientId(), stringClaim(claims, "iss"))) {
            throw OAuthException.invalidGrant("invalid assertion: iss is not the client id");
        }
        if (!matches(properties.username(), stringClaim(claims, "sub"))) {
            throw OAuthException.invalidGrant("user hasn't approved this consumer");
        }
        String audience = stripTrailingSlash(stringClaim(claims, "aud"));
        boolean audienceAccepted = audience != null && (audience.equals(instanceUrl)
                || properties.jwtAudiences().stream().map(SalesforceSandboxAuth::stripTrailingSlash).anyMatch(audience::equals));
        if (!audienceAccepted) {
            throw OAuthException.invalidGrant("audience is invalid");
        }
        if (expiry(claims.get("exp")) <= clock.instant().getEpochSecond()) {
            throw OAuthException.invalidGrant("expired authorization code");
        }
        if (jwtKey.isPresent() && !signatureValid(parts, jwtKey.get())) {
            throw OAuthException.invalidGrant("invalid assertion: signature does not verify");
        }
    }

    private static boolean signatureValid(String[] parts, PublicKey key) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException unverifiable) {
            return false;
        }
    }

    private static Map<String, Object> decodeJson(String part) {
        try {
            return SalesforceJson.MAPPER.readValue(Base64.getUrlDecoder().decode(part),
                    new TypeReference<Map<String, Object>>() { });
        } catch (IOException | IllegalArgumentException notJson) {
            throw OAuthException.invalidGrant("invalid assertion");
        }
    }

    /** {@code exp} in epoch seconds; camel-salesforce sends it as a JSON string, others as a number. */
    private static long expiry(Object exp) {
        if (exp instanceof Number number) {
            return number.longValue();
        }
        try {
            return exp instanceof String text ? Long.parseLong(text) : 0;
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private static String stringClaim(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String value ? value : null;
    }

    private static String stripTrailingSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Constant-time comparison, so response timing reveals nothing about a secret. */
    private static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Salesforce's {@code signature}: base64 HMAC-SHA256 of {@code id + issued_at} keyed with the client secret. */
    private String sign(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(properties.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static Optional<PublicKey> loadCertificateKey(String location) {
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            return Optional.of(CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("bridge.sandbox.salesforce.jwt-certificate: cannot read an X.509 "
                    + "certificate from " + location, e);
        }
    }
}

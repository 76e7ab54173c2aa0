package io.skiplinobridge.sandbox.skiplino;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * Bearer-key check of the sandbox API. Stated: customer create/getAll/getOne/update/delete need the
 * secret key (a public key gets 401); branches and customer tickets accept either. For the endpoints
 * whose pages lost their auth line, the sandbox accepts either key on reads (tree, slots, fetch
 * ticket) and requires the secret key on writes (book, cancel, change-time). Keys are compared in
 * constant time and never echoed.
 */
@Component
@ConditionalOnSandbox
class ApiKeyGuard {

    enum Access { PUBLIC_OR_SECRET, SECRET_ONLY }

    private final byte[] secretKey;
    private final byte[] publicKey;

    ApiKeyGuard(SkiplinoSandboxProperties properties) {
        this.secretKey = properties.secretKey().getBytes(StandardCharsets.UTF_8);
        this.publicKey = properties.publicKey().getBytes(StandardCharsets.UTF_8);
    }

    void check(String authorization, Access access) {
        String token = bearerToken(authorization);
        if (token == null) {
            throw SkiplinoApiException.unauthorized("Missing bearer token.");
        }
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(presented, secretKey)) {
            return;
        }
        if (MessageDigest.isEqual(presented, publicKey)) {
            if (access == Access.PUBLIC_OR_SECRET) {
                return;
            }
            throw SkiplinoApiException.unauthorized("This endpoint requires a secret key.");
        }
        throw SkiplinoApiException.unauthorized("Invalid API key.");
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}

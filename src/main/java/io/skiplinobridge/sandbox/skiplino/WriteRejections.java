package io.skiplinobridge.sandbox.skiplino;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Customers whose writes (create, update, delete) the sandbox refuses until told otherwise, set
 * through {@code /sandbox/control/skiplino/rejections}: how a test makes one customer fail for good
 * while the others sync.
 */
@Component
@ConditionalOnSandbox
class WriteRejections {

    record Rejection(String externalId, int status, String field, String message) {
    }

    private final ConcurrentHashMap<String, Rejection> byExternalId = new ConcurrentHashMap<>();

    void add(Rejection rejection) {
        byExternalId.put(rejection.externalId(), rejection);
    }

    boolean remove(String externalId) {
        return byExternalId.remove(externalId) != null;
    }

    List<Rejection> all() {
        return List.copyOf(byExternalId.values());
    }

    void clear() {
        byExternalId.clear();
    }

    /** Throws the configured answer when writes of this customer are being rejected. */
    void check(String externalId) {
        if (externalId == null || byExternalId.isEmpty()) {
            return;
        }
        Rejection rejection = byExternalId.get(externalId);
        if (rejection != null) {
            throw SkiplinoApiException.of(HttpStatus.valueOf(rejection.status()), rejection.field(), rejection.message());
        }
    }
}

package io.skiplinobridge.ops;

import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.Customer;
import io.skiplinobridge.sync.ChangeType;
import io.skiplinobridge.sync.ContentHash;
import io.skiplinobridge.sync.CustomerMapper;
import io.skiplinobridge.sync.FieldError;
import io.skiplinobridge.sync.SyncOperations.LatestChange;

import org.springframework.stereotype.Component;

/**
 * Compares the latest CRM state the bridge holds for a customer with what Skiplino actually holds,
 * the way the engine decides: the CRM state mapped by the same {@link CustomerMapper}, both sides
 * hashed by the same {@link ContentHash}.
 */
@Component
@ConditionalOnFlows
class ResyncComparer {

    private final CustomerMapper mapper;

    ResyncComparer(CustomerMapper mapper) {
        this.mapper = mapper;
    }

    /** @param inSkiplino the customer as Skiplino lists it, null when Skiplino has none with this externalId */
    Verdict compare(LatestChange latest, Customer inSkiplino) {
        if (latest.type() == ChangeType.DELETE) {
            return new Verdict(Kind.DELETED_IN_CRM, List.of());
        }
        CustomerMapper.Result mapped = mapper.map(latest.customer());
        if (!mapped.valid()) {
            return new Verdict(Kind.INVALID, mapped.errors());
        }
        if (inSkiplino == null) {
            return new Verdict(Kind.WOULD_CREATE, List.of());
        }
        return new Verdict(mapped.customer().contentHash().equals(hash(inSkiplino)) ? Kind.UNCHANGED : Kind.WOULD_UPDATE,
                List.of());
    }

    /** The content hash of what Skiplino holds, comparable with the engine's hash of a mapped customer. */
    static String hash(Customer customer) {
        return ContentHash.of(customer.externalId(), customer.name(), customer.email(), customer.mobile(),
                customer.metadata());
    }

    enum Kind { UNCHANGED, WOULD_UPDATE, WOULD_CREATE, INVALID, DELETED_IN_CRM }

    /** @param errors why the CRM state cannot be sent (only for {@link Kind#INVALID}) */
    record Verdict(Kind kind, List<FieldError> errors) {
    }
}

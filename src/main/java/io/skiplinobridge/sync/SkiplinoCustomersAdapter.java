package io.skiplinobridge.sync;

import java.time.Duration;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.CallPurpose;
import io.skiplinobridge.skiplino.Customer;
import io.skiplinobridge.skiplino.CustomerKey;
import io.skiplinobridge.skiplino.CustomerUpdate;
import io.skiplinobridge.skiplino.CustomerWrite;
import io.skiplinobridge.skiplino.SkiplinoAuthenticationException;
import io.skiplinobridge.skiplino.SkiplinoClient;
import io.skiplinobridge.skiplino.SkiplinoException;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.skiplino.SkiplinoPage;
import io.skiplinobridge.skiplino.SkiplinoPermanentException;
import io.skiplinobridge.skiplino.SkiplinoTransientException;
import io.skiplinobridge.skiplino.SkiplinoValidationException;
import io.skiplinobridge.sync.MappingProperties.ClearedFieldPolicy;

import org.springframework.stereotype.Component;

/** The sync engine's customer writes over the Skiplino client, its error model turned into engine outcomes. */
@Component
@ConditionalOnFlows
class SkiplinoCustomersAdapter implements SkiplinoCustomers {

    private final SkiplinoClient client;
    private final SkiplinoGuard guard;

    SkiplinoCustomersAdapter(SkiplinoClient client, SkiplinoGuard guard) {
        this.client = client.forPurpose(CallPurpose.SYNC);
        this.guard = guard;
    }

    @Override
    public CustomerCall create(MappedCustomer customer) {
        CustomerWrite body = new CustomerWrite(customer.externalId(), customer.name(), customer.email(),
                customer.mobile(), customer.metadata().isEmpty() ? null : customer.metadata());
        try {
            return new CustomerCall.Done(client.createCustomer(body).data().id());
        } catch (SkiplinoValidationException e) {
            return e.isAlreadyTaken("externalId") ? new CustomerCall.AlreadyExists(describe(e)) : rejected(e);
        } catch (SkiplinoException e) {
            return failure(e);
        }
    }

    @Override
    public CustomerCall update(MappedCustomer customer, ClearedFieldPolicy cleared) {
        CustomerUpdate update = CustomerUpdate.byExternalId(customer.externalId());
        update = withField(update, "name", customer.name(), cleared);
        update = withField(update, "email", customer.email(), cleared);
        update = withField(update, "mobile", customer.mobile(), cleared);
        update = update.withMetadata(customer.metadata());
        try {
            return new CustomerCall.Done(client.updateCustomer(update).data().id());
        } catch (SkiplinoValidationException e) {
            return e.isDoesNotExist() ? new CustomerCall.NotFound(describe(e)) : rejected(e);
        } catch (SkiplinoPermanentException e) {
            return e.isNotFound() && !(e instanceof SkiplinoAuthenticationException)
                    ? new CustomerCall.NotFound(describe(e)) : failure(e);
        } catch (SkiplinoException e) {
            return failure(e);
        }
    }

    @Override
    public CustomerCall delete(String externalId) {
        try {
            client.deleteCustomer(CustomerKey.byExternalId(externalId));
            return new CustomerCall.Done(null);
        } catch (SkiplinoValidationException e) {
            return e.isDoesNotExist() ? new CustomerCall.NotFound(describe(e)) : rejected(e);
        } catch (SkiplinoPermanentException e) {
            return e.isNotFound() && !(e instanceof SkiplinoAuthenticationException)
                    ? new CustomerCall.NotFound(describe(e)) : failure(e);
        } catch (SkiplinoException e) {
            return failure(e);
        }
    }

    @Override
    public DirectoryRead directory(int page, int limit) {
        try {
            SkiplinoPage<Customer> read = client.listCustomers(page, limit);
            List<Customer> data = read.data() == null ? List.of() : read.data();
            List<DirectoryRead.DirectoryEntry> entries = data.stream()
                    .filter(c -> c.externalId() != null && !c.externalId().isEmpty())
                    .map(c -> new DirectoryRead.DirectoryEntry(c.externalId(), c.id(),
                            ContentHash.of(c.externalId(), c.name(), c.email(), c.mobile(), c.metadata())))
                    .toList();
            boolean hasNext = !data.isEmpty() && read.pagination() != null && read.pagination().hasNextPage();
            return new DirectoryRead.Page(entries, hasNext);
        } catch (SkiplinoPermanentException e) {
            return new DirectoryRead.Failed(e instanceof SkiplinoAuthenticationException
                    ? new CustomerCall.AuthFailed(e.getMessage()) : rejected(e));
        } catch (SkiplinoException e) {
            return new DirectoryRead.Failed(failure(e));
        }
    }

    @Override
    public boolean acceptingWork() {
        return guard.acceptingWork();
    }

    /** A field with no value is sent per the cleared-field policy; a value is always sent. */
    private static CustomerUpdate withField(CustomerUpdate update, String field, String value, ClearedFieldPolicy cleared) {
        String sent;
        if (value != null) {
            sent = value;
        } else if (cleared == ClearedFieldPolicy.OMIT) {
            return update;
        } else {
            sent = cleared == ClearedFieldPolicy.EMPTY ? "" : null;
        }
        return switch (field) {
            case "name" -> update.withName(sent);
            case "email" -> update.withEmail(sent);
            default -> update.withMobile(sent);
        };
    }

    private static CustomerCall failure(SkiplinoException e) {
        if (e instanceof SkiplinoTransientException t) {
            if (t.reason() == SkiplinoTransientException.Reason.CIRCUIT_OPEN) {
                return new CustomerCall.NotPermitted(e.getMessage());
            }
            Duration retryAfter = t.retryAfter().orElse(null);
            return new CustomerCall.Transient(t.status() == 0 ? null : t.status(), t.getMessage(), retryAfter);
        }
        if (e instanceof SkiplinoAuthenticationException) {
            return new CustomerCall.AuthFailed(e.getMessage());
        }
        return rejected((SkiplinoPermanentException) e);
    }

    private static CustomerCall rejected(SkiplinoPermanentException e) {
        return new CustomerCall.Rejected(e.status(), describe(e));
    }

    private static String describe(SkiplinoPermanentException e) {
        if (e instanceof SkiplinoValidationException v && !v.fieldErrors().isEmpty()) {
            StringBuilder fields = new StringBuilder();
            v.fieldErrors().forEach((field, message) -> fields.append(fields.isEmpty() ? "" : "; ")
                    .append(field).append(": ").append(message));
            return fields.toString();
        }
        String message = e.error() != null ? e.error() : e.skiplinoMessage();
        return message != null ? message : e.getMessage();
    }
}

package io.skiplinobridge.sync;

import io.skiplinobridge.sync.MappingProperties.ClearedFieldPolicy;

/** The three Skiplino customer writes the sync engine makes, keyed by externalId. */
interface SkiplinoCustomers {

    /** {@code POST /customers/create} with the customer's non-empty fields. */
    CustomerCall create(MappedCustomer customer);

    /**
     * {@code PUT /customers/update} located by externalId, sending every field: empty ones as the
     * {@code cleared} policy says, metadata always whole.
     */
    CustomerCall update(MappedCustomer customer, ClearedFieldPolicy cleared);

    /** {@code DELETE /customers/delete} by externalId. */
    CustomerCall delete(String externalId);

    /**
     * One page of Skiplino's customer directory, {@code GET /customers/getAll?page=&limit=} (1-based
     * pages of at most 100), each customer reduced to its ids and content hash.
     */
    DirectoryRead directory(int page, int limit);

    /** False while Skiplino's circuit is open: workers then claim nothing (DESIGN.md rule 5). */
    boolean acceptingWork();
}

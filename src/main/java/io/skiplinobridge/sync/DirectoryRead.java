package io.skiplinobridge.sync;

import java.util.List;

/** What reading one page of Skiplino's customer directory ({@code GET /customers/getAll}) came to. */
sealed interface DirectoryRead {

    /**
     * One page, as Skiplino lists it.
     *
     * @param customers the page's customers that carry an externalId (others are not the bridge's)
     * @param hasNext   Skiplino says a further page exists
     */
    record Page(List<DirectoryEntry> customers, boolean hasNext) implements DirectoryRead {

        public Page {
            customers = List.copyOf(customers);
        }
    }

    /** The page could not be read; {@code failure} says why, in the engine's terms (never {@code Done}). */
    record Failed(CustomerCall failure) implements DirectoryRead {
    }

    /**
     * One customer Skiplino holds.
     *
     * @param contentHash the {@link ContentHash} of what Skiplino holds, comparable with a mapped customer's
     */
    record DirectoryEntry(String externalId, String skiplinoId, String contentHash) {
    }
}

package io.skiplinobridge.sandbox.skiplino;

import java.util.Set;

/**
 * Maps a request path (relative to the API base) to its endpoint template, e.g.
 * {@code /tickets/k7m2p9x4q1/cancel} to {@code /tickets/{id}/cancel}, so that stats stay one row per
 * endpoint. Done by hand rather than through Spring's handler mapping because faulted requests
 * never reach a handler.
 */
final class ApiTemplates {

    static final String OTHER = "(other)";
    private static final Set<String> CUSTOMER_ACTIONS = Set.of("create", "getAll", "getOne", "update", "delete", "tickets");

    record Match(String template, String ticketId) {
    }

    private ApiTemplates() {
    }

    static Match match(String path) {
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
        String head = parts[0];
        switch (parts.length) {
            case 1:
                if ("branches".equals(head)) {
                    return new Match("/branches", null);
                }
                break;
            case 2:
                if ("customers".equals(head) && CUSTOMER_ACTIONS.contains(parts[1])) {
                    return new Match("/customers/" + parts[1], null);
                }
                if ("tickets".equals(head) && "book".equals(parts[1])) {
                    return new Match("/tickets/book", null);
                }
                if ("tickets".equals(head) && !parts[1].isEmpty()) {
                    return new Match("/tickets/{id}", parts[1]);
                }
                break;
            case 3:
                if ("branches".equals(head) && "tree".equals(parts[2])) {
                    return new Match("/branches/{branchId}/tree", null);
                }
                if ("services".equals(head) && "slots".equals(parts[2])) {
                    return new Match("/services/{id}/slots", null);
                }
                if ("tickets".equals(head) && ("cancel".equals(parts[2]) || "change-time".equals(parts[2]))) {
                    return new Match("/tickets/{id}/" + parts[2], parts[1]);
                }
                break;
            default:
                break;
        }
        return new Match(OTHER, null);
    }
}

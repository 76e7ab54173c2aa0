package io.skiplinobridge.skiplino;

import java.util.Locale;
import java.util.Map;

/**
 * 422: Skiplino's validation refused the request. {@link #fieldErrors()} holds the per-field messages
 * of the (inferred) {@code ValidationErrorEnvelope}, {@code {"message", "error": {"<field>": "<message>"}}}.
 *
 * <p>The helpers match Skiplino's English messages, which are what an empty {@code X-Locale} gets; with
 * another locale the messages may be translated and the helpers would then answer false.
 */
public final class SkiplinoValidationException extends SkiplinoPermanentException {

    static final String ALREADY_TAKEN = "This value is already taken.";
    static final String DOES_NOT_EXIST = "This value does not exist.";

    private final Map<String, String> fieldErrors;

    SkiplinoValidationException(String operation, String skiplinoMessage, String error,
            Map<String, String> fieldErrors, String detail) {
        super(operation, 422, skiplinoMessage, error, detail);
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    /** Field name to message; empty when Skiplino sent no per-field object. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** Whether {@code field} was refused as {@code "This value is already taken."} (e.g. a duplicate externalId). */
    public boolean isAlreadyTaken(String field) {
        return matches(fieldErrors.get(field), ALREADY_TAKEN);
    }

    /**
     * Whether an identifier was refused as {@code "This value does not exist."} (getOne, update, delete of
     * an unknown customer), whichever field Skiplino reported it on.
     */
    public boolean isDoesNotExist() {
        return fieldErrors.values().stream().anyMatch(message -> matches(message, DOES_NOT_EXIST))
                || matches(error(), DOES_NOT_EXIST);
    }

    /** Whether {@code field} was refused as {@code "This value does not exist."}. */
    public boolean isDoesNotExist(String field) {
        return matches(fieldErrors.get(field), DOES_NOT_EXIST);
    }

    private static boolean matches(String message, String expected) {
        return message != null && normalise(message).equals(normalise(expected));
    }

    private static String normalise(String message) {
        String trimmed = message.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}

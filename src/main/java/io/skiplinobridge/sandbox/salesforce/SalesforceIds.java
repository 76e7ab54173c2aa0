package io.skiplinobridge.sandbox.salesforce;

import java.util.Optional;

/**
 * Salesforce record ids: a 3-character key prefix naming the object, 12 characters unique within the
 * org, and a 3-character suffix that makes the 18-character form case-insensitively unique.
 *
 * <p>The 12 characters are a base-62 counter in ASCII order, so comparing two ids of one object as
 * strings orders them by creation, which is what {@code WHERE Id > '...'} chunking relies on.
 */
final class SalesforceIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final int COUNTER_LENGTH = 12;

    private SalesforceIds() {
    }

    /** The 18-character id of the {@code sequence}th record with this key prefix. */
    static String of(String keyPrefix, long sequence) {
        char[] counter = new char[COUNTER_LENGTH];
        long rest = sequence;
        for (int i = COUNTER_LENGTH - 1; i >= 0; i--) {
            counter[i] = BASE62.charAt((int) (rest % 62));
            rest /= 62;
        }
        return withSuffix(keyPrefix + new String(counter));
    }

    /** The 18-character form of a 15-character id. */
    static String withSuffix(String id15) {
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return id15 + suffix;
    }

    /**
     * The canonical 18-character id for a 15- or 18-character id with a correct suffix; empty for
     * anything else. An 18-character id is matched case-insensitively on its suffix, as Salesforce does.
     */
    static Optional<String> normalize(String candidate) {
        if (candidate == null || (candidate.length() != 15 && candidate.length() != 18)) {
            return Optional.empty();
        }
        for (int i = 0; i < 15; i++) {
            if (BASE62.indexOf(candidate.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String canonical = withSuffix(candidate.substring(0, 15));
        if (candidate.length() == 18 && !canonical.substring(15).equalsIgnoreCase(candidate.substring(15))) {
            return Optional.empty();
        }
        return Optional.of(canonical);
    }

    static String keyPrefix(String id) {
        return id.substring(0, 3);
    }
}

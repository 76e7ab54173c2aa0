package io.skiplinobridge.ops;

/** Client-supplied text made safe for log lines and messages. */
final class OpsText {

    private static final int MAX_LOGGED = 200;

    private OpsText() {
    }

    static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    /** No line breaks or other control and format characters (no forged log lines), bounded length. */
    static String logSafe(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LOGGED));
        for (int i = 0; i < text.length() && i < MAX_LOGGED; i++) {
            char c = text.charAt(i);
            safe.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        return text.length() > MAX_LOGGED ? safe.append("...").toString() : safe.toString();
    }
}

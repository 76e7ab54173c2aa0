package io.skiplinobridge.sandbox.skiplino;

import java.util.Locale;

/**
 * A text in the sandbox's two languages. Skiplino localises branch, group and service names and
 * business-rule reasons by {@code X-Locale}; its allowed values are not documented, so the sandbox
 * knows {@code en} and {@code ar} and falls back to the company default for anything else.
 */
record Localized(String en, String ar) {

    static final String ENGLISH = "en";
    static final String ARABIC = "ar";

    String in(String locale) {
        return ARABIC.equals(locale) ? ar : en;
    }

    /** The sandbox locale for an {@code X-Locale} header value: its language if known, else the default. */
    static String resolve(String header, String defaultLocale) {
        if (header == null || header.isBlank()) {
            return defaultLocale;
        }
        String language = header.trim().split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        return ENGLISH.equals(language) || ARABIC.equals(language) ? language : defaultLocale;
    }
}

package io.skiplinobridge.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What docs/operations.md promises, read from the file itself so tests and the runbook cannot drift apart. */
final class OperationsDoc {

    static final Path FILE = Path.of("docs/operations.md");
    private static final Pattern TABLE_NAME = Pattern.compile("^\\| `([a-z0-9_]+)` \\|");
    private static final Pattern ALERT_NAME = Pattern.compile("^\\| `(Bridge[A-Za-z]+)`(?: \\([a-z]+\\))?(?: / `(Bridge[A-Za-z]+)`)?");

    private OperationsDoc() {
    }

    /** The Prometheus names in the tables of the "Metrics" section. */
    static Set<String> metrics() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : section("## Metrics")) {
            Matcher m = TABLE_NAME.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The alert names in the table of the "Alerts" section. */
    static Set<String> alerts() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : section("## Alerts")) {
            Matcher m = ALERT_NAME.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
                if (m.group(2) != null) {
                    names.add(m.group(2));
                }
            }
        }
        return names;
    }

    private static List<String> section(String heading) {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> section = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                in = line.equals(heading);
                continue;
            }
            if (in) {
                section.add(line);
            }
        }
        if (section.isEmpty()) {
            throw new IllegalStateException(FILE + " has no section " + heading);
        }
        return section;
    }
}

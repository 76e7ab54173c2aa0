package io.skiplinobridge.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Prometheus text exposition, parsed into samples. */
record Scrape(List<Sample> all) {

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            String labels = brace > 0 && brace < space ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Scrape(samples);
    }

    /** Whether the metric is there: under its name, or as a timer's or histogram's series. */
    boolean has(String metric) {
        return !samples(metric).isEmpty();
    }

    /** The samples of {@code metric} and of its {@code _count}, {@code _sum}, {@code _max} and {@code _bucket} series. */
    List<Sample> samples(String metric) {
        return all.stream().filter(s -> s.name().equals(metric) || s.name().equals(metric + "_count")
                || s.name().equals(metric + "_sum") || s.name().equals(metric + "_max")
                || s.name().equals(metric + "_bucket")).toList();
    }

    /** The sum of the samples named exactly {@code name} whose labels contain every {@code label} (0 when none). */
    double value(String name, String... labels) {
        return all.stream().filter(s -> s.name().equals(name))
                .filter(s -> Arrays.stream(labels).allMatch(l -> l.isEmpty() || s.labels().contains(l)))
                .mapToDouble(Sample::value).sum();
    }

    record Sample(String name, String labels, double value) {
    }
}

package io.skiplinobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ContentHashTest {

    @Test
    void ignoresKeyOrderAtEveryDepth() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("tier", "gold");
        a.put("address", new LinkedHashMap<>(Map.of("city", "Manama", "block", 338)));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("address", new LinkedHashMap<>(Map.of("block", 338, "city", "Manama")));
        b.put("tier", "gold");

        assertThat(ContentHash.of("c1", "N", null, null, a)).isEqualTo(ContentHash.of("c1", "N", null, null, b));
    }

    @Test
    void treatsEmptyValuesAsAbsentLikeSkiplino() {
        assertThat(ContentHash.of("c1", "", "", null, Map.of()))
                .isEqualTo(ContentHash.of("c1", null, null, null, null));
    }

    @Test
    void changesWhenAnyFieldChanges() {
        String base = ContentHash.of("c1", "N", "n@example.com", "+97333445566", Map.of("tier", "gold"));

        assertThat(ContentHash.of("c2", "N", "n@example.com", "+97333445566", Map.of("tier", "gold"))).isNotEqualTo(base);
        assertThat(ContentHash.of("c1", "M", "n@example.com", "+97333445566", Map.of("tier", "gold"))).isNotEqualTo(base);
        assertThat(ContentHash.of("c1", "N", "m@example.com", "+97333445566", Map.of("tier", "gold"))).isNotEqualTo(base);
        assertThat(ContentHash.of("c1", "N", "n@example.com", "+97333445567", Map.of("tier", "gold"))).isNotEqualTo(base);
        assertThat(ContentHash.of("c1", "N", "n@example.com", "+97333445566", Map.of("tier", "silver"))).isNotEqualTo(base);
        // a value moving between fields is a change too
        assertThat(ContentHash.of("c1", "x", null, null, null)).isNotEqualTo(ContentHash.of("c1", null, "x", null, null));
    }
}

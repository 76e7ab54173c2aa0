package io.skiplinobridge.sandbox.skiplino;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class InsertionOrderTest {

    @Test
    void pagesAndRanksMatchAPlainListThroughGrowthAndRemovals() {
        InsertionOrder<Integer> order = new InsertionOrder<>();
        List<Integer> model = new ArrayList<>();
        Map<Integer, Integer> positions = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            if (!model.isEmpty() && random.nextInt(4) == 0) {
                int victim = model.get(random.nextInt(model.size()));
                order.remove(positions.get(victim));
                model.remove(Integer.valueOf(victim));
            } else {
                positions.put(i, order.add(i));
                model.add(i);
            }
            if (i % 97 == 0) {
                assertSameAsModel(order, model, positions);
            }
        }
        assertSameAsModel(order, model, positions);
    }

    @Test
    void aPageBeyondTheEndIsEmptyAndRemovingTwiceCountsOnce() {
        InsertionOrder<String> order = new InsertionOrder<>();
        int a = order.add("a");
        order.add("b");

        order.remove(a);
        order.remove(a);

        assertThat(order.size()).isEqualTo(1);
        assertThat(order.newestFirst(1, 10)).containsExactly("b");
        assertThat(order.newestFirst(2, 10)).isEmpty();
        assertThat(order.countBefore(a + 1)).isZero();
    }

    private static void assertSameAsModel(InsertionOrder<Integer> order, List<Integer> model,
                                          Map<Integer, Integer> positions) {
        List<Integer> newestFirst = new ArrayList<>(model);
        Collections.reverse(newestFirst);
        assertThat(order.size()).isEqualTo(model.size());
        assertThat(order.allNewestFirst()).isEqualTo(newestFirst);
        for (int limit : new int[] {1, 7, 100}) {
            for (int page = 1; (page - 1) * limit <= newestFirst.size(); page++) {
                List<Integer> expected = newestFirst.subList((page - 1) * limit, Math.min(newestFirst.size(), page * limit));
                assertThat(order.newestFirst(page, limit)).as("page %d of %d", page, limit).isEqualTo(expected);
            }
        }
        for (int k = 0; k < model.size(); k += 13) {
            assertThat(order.countBefore(positions.get(model.get(k)))).isEqualTo(k);
        }
    }
}

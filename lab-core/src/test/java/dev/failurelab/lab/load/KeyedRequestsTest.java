package dev.failurelab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyedRequestsTest {

    private static final int DRAWS = 50_000;

    @Test
    void zipfKeys_k1TheMostFrequent_atAboutTenPercentForYcsbsExponent() {
        KeyedRequests plan = new KeyedRequests(new KeyedRequests.Keys(10_000, 0.99), "celebrity", 0, 0, 1);
        Map<String, Integer> counts = draw(plan);
        assertThat(counts.get("/api/kv/k1") / (double) DRAWS).as("k1's share: 1 / H(10000, 0.99)").isBetween(0.08, 0.12);
        assertThat(counts.get("/api/kv/k1")).isGreaterThan(counts.get("/api/kv/k2"));
        assertThat(counts.get("/api/kv/k2")).isGreaterThan(counts.getOrDefault("/api/kv/k100", 0));
        assertThat(counts).doesNotContainKey("/api/kv/celebrity");
    }

    @Test
    void theCelebrityTrigger_andTheWriteShare_changeLive() {
        KeyedRequests plan = new KeyedRequests(new KeyedRequests.Keys(10_000, 0.99), "celebrity", 0, 0, 1);
        plan.celebrityShare(0.3);
        plan.writeShare(0.9);
        Map<String, Integer> counts = draw(plan);
        int celebrity = counts.getOrDefault("/api/kv/celebrity", 0) + counts.getOrDefault("/api/counter/celebrity", 0);
        assertThat(celebrity / (double) DRAWS).isBetween(0.29, 0.31);
        long writes = counts.entrySet().stream().filter(e -> e.getKey().startsWith("/api/counter/"))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(writes / (double) DRAWS).isBetween(0.89, 0.91);
    }

    @Test
    void theSameSeedSendsTheSameKeys() {
        KeyedRequests a = new KeyedRequests(new KeyedRequests.Keys(1_000, 0.99), "c", 0.3, 0.5, 42);
        KeyedRequests b = new KeyedRequests(new KeyedRequests.Keys(1_000, 0.99), "c", 0.3, 0.5, 42);
        for (int i = 0; i < 1_000; i++) {
            assertThat(a.of(i)).isEqualTo(b.of(i));
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new KeyedRequests.Keys(0, 0.99)).hasMessageContaining("keys");
        assertThatThrownBy(() -> new KeyedRequests.Keys(10, 0)).hasMessageContaining("Zipf exponent");
        assertThatThrownBy(() -> new KeyedRequests(new KeyedRequests.Keys(10, 1), "a/b", 0, 0, 1))
                .hasMessageContaining("celebrity key");
        KeyedRequests plan = new KeyedRequests(new KeyedRequests.Keys(10, 1), "c", 0, 0, 1);
        assertThatThrownBy(() -> plan.celebrityShare(1.5)).hasMessageContaining("celebrity share");
        assertThatThrownBy(() -> plan.writeShare(-0.1)).hasMessageContaining("write share");
    }

    private static Map<String, Integer> draw(KeyedRequests plan) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            counts.merge(plan.of(i).path(), 1, Integer::sum);
        }
        return counts;
    }
}

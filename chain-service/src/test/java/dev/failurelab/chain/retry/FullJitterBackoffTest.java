package dev.failurelab.chain.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FullJitterBackoffTest {

    private final FullJitterBackoff backoff = new FullJitterBackoff(Duration.ofMillis(100), Duration.ofMillis(400));

    @Test
    void ceiling_doublesPerRetry_upToTheCap() {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(400);
        assertThat(backoff.ceilingMillis(30)).isEqualTo(400);
    }

    @Test
    void waits_stayWithinZeroAndTheCeiling_andKeepJitteringOnceCapped() {
        Set<Long> capped = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            long wait = backoff.apply(10);
            assertThat(wait).isBetween(0L, 400L);
            capped.add(wait);
        }
        assertThat(capped.size()).as("distinct waits at the cap: full jitter, not lock-step").isGreaterThan(100);
        assertThat(capped.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(40);
    }
}

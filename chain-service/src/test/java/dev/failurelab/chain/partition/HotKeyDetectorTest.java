package dev.failurelab.chain.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotKeyDetectorTest {

    private final AtomicLong nanos = new AtomicLong();
    private final HotKeyDetector detector = new HotKeyDetector(64, Duration.ofSeconds(1), 0.02, nanos::get);

    private void window(double celebrityShare, int requests, Random random) {
        window(detector, celebrityShare, requests, random);
    }

    /** {@code requests} spread over one window; the last one ends it. */
    private void window(HotKeyDetector detector, double celebrityShare, int requests, Random random) {
        long step = 1_000_000_000L / requests;
        for (int i = 0; i < requests; i++) {
            nanos.addAndGet(step);
            detector.offer(random.nextDouble() < celebrityShare ? "celebrity" : "k" + random.nextInt(100_000));
        }
    }

    @Test
    void aKeyWithThirtyPercentOfTheRequestsIsHotOnceItsWindowEnds_andTheTailIsNot() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) { // half a window
            nanos.addAndGet(1_000_000);
            detector.offer(random.nextDouble() < 0.3 ? "celebrity" : "k" + random.nextInt(100_000));
        }
        assertThat(detector.isHot("celebrity")).as("not before its first window has ended").isFalse();
        window(0.3, 1_000, random);
        assertThat(detector.isHot("celebrity")).isTrue();
        assertThat(detector.top().get(0).key()).isEqualTo("celebrity");
        assertThat(detector.top().get(0).share()).isBetween(0.25, 0.40);
        assertThat(detector.top()).as("Space-Saving keeps its counters bounded").hasSizeLessThanOrEqualTo(64);
        assertThat(detector.top().stream().filter(k -> detector.isHot(k.key()))).extracting(HotKeyDetector.HotKey::key)
                .containsExactly("celebrity");
    }

    @Test
    void aKeyCoolsAfterAWindowWithoutIt_andAnIdleRouterHasNoHotKey() {
        Random random = new Random(5);
        window(0.3, 1_000, random);
        window(0.3, 1_000, random);
        window(0, 1_000, random);
        window(0, 1_000, random);
        assertThat(detector.isHot("celebrity")).isFalse();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        detector.offer("k1");
        assertThat(detector.top()).isEmpty();
    }

    @Test
    void aLowerThresholdLiveMakesMoreKeysHot() {
        // Enough counters that Space-Saving keeps a key of 15 in a window of about 1000 (N / k = 4).
        HotKeyDetector detector = new HotKeyDetector(256, Duration.ofSeconds(1), 0.02, nanos::get);
        Random random = new Random(9);
        window(detector, 0, 1_000, random);
        for (int i = 0; i < 15; i++) {
            detector.offer("warm"); // 15 of about 1015: 1.5%, under the 2% threshold
        }
        window(detector, 0, 1_000, random);
        assertThat(detector.isHot("warm")).isFalse();
        for (int i = 0; i < 15; i++) {
            detector.offer("warm");
        }
        detector.configure(Duration.ofSeconds(1), 0.01);
        window(detector, 0, 1_000, random);
        assertThat(detector.isHot("warm")).isTrue();
    }
}

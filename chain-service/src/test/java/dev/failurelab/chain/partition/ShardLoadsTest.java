package dev.failurelab.chain.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShardLoadsTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final PlacementSeconds seconds = new PlacementSeconds(8, clock::get);
    private final ShardLoads loads = new ShardLoads(8, seconds, new BoundedLoads());
    private final HashRing ring = new HashRing(8, 160);

    @Test
    void aHotKeySpillsAlongItsWalk_andNoShardEverHoldsMoreThanTheBoundInFlight() {
        Random random = new Random(7);
        Deque<Integer> inFlight = new ArrayDeque<>();
        int[] walk = ring.walk("celebrity");
        for (int i = 0; i < 20_000; i++) {
            clock.addAndGet(1); // 1000 placements a second
            String key = random.nextDouble() < 0.3 ? "celebrity" : "k" + random.nextInt(10_000);
            int shard = loads.takeBounded(ring.walk(key), 0.25);
            inFlight.addLast(shard);
            int total = inFlight.size();
            assertThat(loads.inFlight(shard)).as("in flight on the shard chosen")
                    .isLessThanOrEqualTo((int) Math.max(1, Math.floor(1.25 * total / 8)) + 1);
            if (inFlight.size() > 160) { // a steady 160 in flight: the oldest ends
                loads.release(inFlight.removeFirst());
            }
        }
        long[] celebrityShards = new long[8];
        // With 30% on one key, its home is full: the next shards on its walk take the rest.
        for (int i = 0; i < 1_000; i++) {
            int shard = loads.takeBounded(walk, 0.25);
            celebrityShards[shard]++;
            loads.release(shard);
        }
        assertThat(celebrityShards[walk[0]]).as("an idle-enough home takes its key").isGreaterThan(0);
    }

    @Test
    void everyWholeSecondsPlacementsStayWithinOnePointTwoFiveOfItsMean() {
        Random random = new Random(11);
        Deque<Integer> inFlight = new ArrayDeque<>();
        for (int i = 0; i < 10_000; i++) {
            clock.addAndGet(2); // 500 placements a second
            String key = random.nextDouble() < 0.3 ? "celebrity" : "k" + random.nextInt(10_000);
            inFlight.addLast(loads.takeBounded(ring.walk(key), 0.25));
            if (inFlight.size() > 120) {
                loads.release(inFlight.removeFirst());
            }
        }
        assertThat(seconds.ended()).hasSizeGreaterThan(15);
        for (PlacementSeconds.Second second : seconds.ended().subList(1, seconds.ended().size())) {
            assertThat(second.maxMean()).as("second %d: %s", second.epochSecond(), Arrays.toString(second.placed()))
                    .isLessThanOrEqualTo(1.25);
        }
    }

    @Test
    void plainPlacementGoesHome_andCountsWritesApart() {
        int home = ring.home("celebrity");
        for (int i = 0; i < 10; i++) {
            loads.take(home, i % 2 == 0);
        }
        assertThat(loads.inFlight(home)).isEqualTo(10);
        clock.addAndGet(1_000);
        PlacementSeconds.Second last = seconds.last();
        assertThat(last.placed()[home]).isEqualTo(10);
        assertThat(last.writes()[home]).isEqualTo(5);
        assertThat(last.maxMean()).isEqualTo(8.0);
    }
}

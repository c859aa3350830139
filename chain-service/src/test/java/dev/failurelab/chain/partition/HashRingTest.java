package dev.failurelab.chain.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HashRingTest {

    private static final int KEYS = 20_000;

    @Test
    void everyKeyHasAHome_andItsWalkMeetsEveryShardOnce_homeFirst() {
        HashRing ring = new HashRing(8, 160);
        for (int i = 0; i < 1_000; i++) {
            String key = "k" + i;
            int[] walk = ring.walk(key);
            assertThat(walk[0]).isEqualTo(ring.home(key));
            assertThat(Arrays.stream(walk).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(ring.modulo(key)).isBetween(0, 7);
        }
    }

    @Test
    void keysSpreadEvenlyEnough_withVirtualNodes() {
        HashRing ring = new HashRing(8, 160);
        int[] perShard = new int[8];
        for (int i = 0; i < KEYS; i++) {
            perShard[ring.home("k" + i)]++;
        }
        double mean = KEYS / 8.0;
        assertThat(Arrays.stream(perShard).max().orElseThrow() / mean).as("max/mean of keys per shard")
                .isLessThan(1.15);
        assertThat(Arrays.stream(perShard).min().orElseThrow() / mean).isGreaterThan(0.85);
    }

    @Test
    void aNinthShardMovesAboutANinthOfTheKeys_onTheRing_butMostOfThem_byModulo() {
        HashRing eight = new HashRing(8, 160);
        HashRing nine = new HashRing(9, 160);
        int ringMoved = 0;
        int moduloMoved = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = "k" + i;
            if (eight.home(key) != nine.home(key)) {
                ringMoved++;
                assertThat(nine.home(key)).as("a key the ring moves goes to the new shard").isEqualTo(8);
            }
            if (eight.modulo(key) != nine.modulo(key)) {
                moduloMoved++;
            }
        }
        assertThat(ringMoved / (double) KEYS).isBetween(0.07, 0.16);
        assertThat(moduloMoved / (double) KEYS).isGreaterThan(0.8);
    }

    @Test
    void theSameKeyAlwaysHasTheSameHome() {
        assertThat(new HashRing(8, 160).home("celebrity")).isEqualTo(new HashRing(8, 160).home("celebrity"));
    }
}

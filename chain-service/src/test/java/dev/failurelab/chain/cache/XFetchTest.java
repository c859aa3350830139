package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** XFetch (Vattani et al., VLDB 2015): recompute when {@code now − δ·β·ln(u) ≥ expiry}. */
class XFetchTest {

    private static final CacheEntry ENTRY = new CacheEntry("v", 0, 10_000, 100); // δ = 100 ms, expires at 10 s

    @Test
    void xfetch_headStartIsDeltaTimesBetaTimesMinusLnU() {
        double u = Math.exp(-2); // −ln u = 2: head start 2·δ·β = 200 ms
        assertThat(XFetch.recomputeNow(ENTRY, 9_800, 1.0, u)).isTrue();
        assertThat(XFetch.recomputeNow(ENTRY, 9_799, 1.0, u)).isFalse();
        assertThat(XFetch.recomputeNow(ENTRY, 9_600, 2.0, u)).as("β = 2 doubles the head start").isTrue();
        assertThat(XFetch.recomputeNow(ENTRY, 9_599, 2.0, u)).isFalse();
    }

    @Test
    void xfetch_uIsOne_onlyAtExpiry() {
        assertThat(XFetch.recomputeNow(ENTRY, 9_999, 1.0, 1.0)).isFalse();
        assertThat(XFetch.recomputeNow(ENTRY, 10_000, 1.0, 1.0)).isTrue();
    }

    @Test
    void xfetch_earlyRecomputeProbability_isExpMinusGapOverDelta() {
        // P(recompute at t before expiry) = P(−δ ln u ≥ t) = e^(−t/δ); 100 ms before, with δ = 100 ms: 1/e.
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int early = 0;
        int trials = 100_000;
        for (int i = 0; i < trials; i++) {
            if (XFetch.recomputeNow(ENTRY, 9_900, 1.0, 1.0 - random.nextDouble())) {
                early++;
            }
        }
        assertThat((double) early / trials).isBetween(Math.exp(-1) - 0.01, Math.exp(-1) + 0.01);
    }
}

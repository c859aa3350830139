package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheEntryTest {

    @Test
    void encode_decode_roundTrips_aValueWithNewlinesAndSpaces() {
        CacheEntry entry = new CacheEntry("[{\"a\": 1}]\nsecond line", 1_000, 31_000, 42);
        assertThat(CacheEntry.decode(entry.encode())).isEqualTo(entry);
    }

    @Test
    void decode_somethingElse_isAMiss() {
        assertThat(CacheEntry.decode(null)).isNull();
        assertThat(CacheEntry.decode("plain value")).isNull();
        assertThat(CacheEntry.decode("v2 1 2 3\nx")).isNull();
        assertThat(CacheEntry.decode("v1 1 two 3\nx")).isNull();
    }

    @Test
    void isFresh_untilExpiresAt_exclusive() {
        CacheEntry entry = new CacheEntry("x", 0, 100, 1);
        assertThat(entry.isFresh(99)).isTrue();
        assertThat(entry.isFresh(100)).isFalse();
    }
}

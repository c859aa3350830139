package dev.failurelab.chain.cache;

/**
 * A cached value with the facts the strategies need, stored in Redis as one string:
 * {@code v1 <computedAt> <expiresAt> <deltaMillis>\n<value>}. The Redis key lives longer than
 * {@code expiresAt} (by the stale window) so that stale-while-revalidate has something to serve.
 *
 * @param value       the cached value (for the hot key, a JSON document)
 * @param computedAt  when it was computed, epoch millis
 * @param expiresAt   when it stops being fresh, epoch millis (the logical expiry)
 * @param deltaMillis how long its recomputation took (XFetch's δ)
 */
public record CacheEntry(String value, long computedAt, long expiresAt, long deltaMillis) {

    private static final String VERSION = "v1";

    public CacheEntry {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
    }

    public boolean isFresh(long nowMillis) {
        return nowMillis < expiresAt;
    }

    public String encode() {
        return VERSION + ' ' + computedAt + ' ' + expiresAt + ' ' + deltaMillis + '\n' + value;
    }

    /** The entry, or null if {@code encoded} is null or not in this format (treated as a miss). */
    public static CacheEntry decode(String encoded) {
        if (encoded == null) {
            return null;
        }
        int newline = encoded.indexOf('\n');
        if (newline < 0) {
            return null;
        }
        String[] header = encoded.substring(0, newline).split(" ");
        if (header.length != 4 || !header[0].equals(VERSION)) {
            return null;
        }
        try {
            return new CacheEntry(encoded.substring(newline + 1), Long.parseLong(header[1]), Long.parseLong(header[2]),
                    Long.parseLong(header[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

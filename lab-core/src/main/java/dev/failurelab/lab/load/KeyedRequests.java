package dev.failurelab.lab.load;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A keyed load on the partition router: each request reads a key's content
 * ({@code GET /api/kv/<key>}) or increments its counter ({@code POST /api/counter/<key>}); keys
 * {@code k1..kN} are drawn from a Zipf distribution (YCSB's, exponent 0.99 by default; {@code k1}
 * the most frequent), and a "celebrity" trigger sends a share of all requests to one key. The
 * celebrity's share and the write share change live (a lab's trigger), from the next request on.
 *
 * <p>Thread-safe: draws are serialised (the open-loop generator draws from its one pacing thread).
 */
public final class KeyedRequests implements RequestPlan {

    /** The key space and distribution of a load: {@code keys} keys, Zipf exponent {@code exponent}. */
    public record Keys(int keys, double exponent) {
        public Keys {
            if (keys < 1) {
                throw new IllegalArgumentException("keys must be at least 1, got " + keys);
            }
            if (!(exponent > 0) || exponent > 10) {
                throw new IllegalArgumentException("the Zipf exponent must be in (0, 10], got " + exponent);
            }
        }
    }

    private final UniformRandomProvider random;
    private final org.apache.commons.rng.sampling.distribution.DiscreteSampler zipf;
    private final String celebrity;
    private volatile double celebrityShare;
    private volatile double writeShare;

    /**
     * @param keys           the key space and its distribution
     * @param celebrity      the celebrity's key
     * @param celebrityShare the share of requests sent to it (0: none)
     * @param writeShare     the share of requests that are increments
     * @param seed           the draws' seed (a run is repeatable)
     */
    public KeyedRequests(Keys keys, String celebrity, double celebrityShare, double writeShare, long seed) {
        this.random = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        this.zipf = RejectionInversionZipfSampler.of(random, keys.keys(), keys.exponent());
        if (celebrity == null || !celebrity.matches("[A-Za-z0-9._:~-]{1,200}")) {
            throw new IllegalArgumentException("the celebrity key must be 1 to 200 letters, digits or . _ : ~ -, got '"
                    + celebrity + "'");
        }
        this.celebrity = celebrity;
        celebrityShare(celebrityShare);
        writeShare(writeShare);
    }

    /** The celebrity's key. */
    public String celebrity() {
        return celebrity;
    }

    /** Sends {@code share} of the requests from now on to the celebrity (0 stops the trigger). */
    public void celebrityShare(double share) {
        this.celebrityShare = share(share, "celebrity share");
    }

    /** Makes {@code share} of the requests from now on increments. */
    public void writeShare(double share) {
        this.writeShare = share(share, "write share");
    }

    private static double share(double share, String what) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the %s must be between 0 and 1, got %s",
                    what, share));
        }
        return share;
    }

    @Override
    public synchronized Request of(long index) {
        String key = random.nextDouble() < celebrityShare ? celebrity : "k" + zipf.sample();
        boolean write = random.nextDouble() < writeShare;
        return new Request(write, (write ? "/api/counter/" : "/api/kv/") + key);
    }
}

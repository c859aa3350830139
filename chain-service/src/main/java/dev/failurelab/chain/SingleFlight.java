package dev.failurelab.chain;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One caller per key does the work; callers arriving meanwhile wait for its result, at most
 * {@code bound}. A burst of hundreds in one JVM so costs the store and the origin one call (the hot
 * key's recompute), and a hot key's readers cost its shard one call (the router's coalescing).
 *
 * <p>Thread-safe.
 *
 * @param <T> what the work yields
 */
public final class SingleFlight<T> {

    /** The work's result, and whether this caller did it or waited for another. */
    public record Result<T>(T value, boolean led) {
    }

    /** What a waiter throws when the leader's work failed, or when it waited past the bound. */
    public interface Failures {

        /** The leader's work threw {@code cause}. */
        RuntimeException failed(String key, Throwable cause);

        /** The waiter waited {@code bound} (or was interrupted) without a result. */
        RuntimeException waitedTooLong(String key, Duration bound, Exception cause);
    }

    private final Map<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();
    private final Duration bound;
    private final Failures failures;

    public SingleFlight(Duration bound, Failures failures) {
        this.bound = bound;
        this.failures = failures;
    }

    public Result<T> run(String key, Supplier<T> work) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return new Result<>(await(leader, key), false);
        }
        try {
            T result = work.get();
            mine.complete(result);
            return new Result<>(result, true);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private T await(CompletableFuture<T> leader, String key) {
        try {
            return leader.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw failures.failed(key, e.getCause());
        } catch (TimeoutException e) {
            throw failures.waitedTooLong(key, bound, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.waitedTooLong(key, bound, e);
        }
    }
}

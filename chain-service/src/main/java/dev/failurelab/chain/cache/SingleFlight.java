package dev.failurelab.chain.cache;

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
 * {@code bound}. A burst of hundreds in one JVM so costs the store and the origin one call.
 *
 * <p>Thread-safe.
 *
 * @param <T> what the work yields
 */
final class SingleFlight<T> {

    /** The work's result, and whether this caller did it or waited for another. */
    record Result<T>(T value, boolean led) {
    }

    private final Map<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();
    private final Duration bound;

    SingleFlight(Duration bound) {
        this.bound = bound;
    }

    Result<T> run(String key, Supplier<T> work) {
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
            if (e.getCause() instanceof CacheUnavailableException unavailable) {
                throw unavailable;
            }
            if (e.getCause() instanceof CacheStore.Unavailable storeDown) {
                throw storeDown;
            }
            throw new CacheUnavailableException(CacheUnavailableException.Reason.ORIGIN_UNAVAILABLE,
                    "the recompute of " + key + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                    "waited " + bound.toMillis() + " ms for the recompute of " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException(CacheUnavailableException.Reason.WAIT_TIMEOUT,
                    "interrupted while waiting for " + key, e);
        }
    }
}

package dev.failurelab.lab.load;

import dev.failurelab.contract.Errors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What a load run counts, for the open-loop and the closed-loop generator alike: answers by
 * outcome and status, and latency from each request's start (its intended start, open loop) in an
 * HdrHistogram. Thread-safe: completions share a read lock; {@link #close} takes the write lock,
 * so the result is an exact snapshot and an answer arriving after it is counted nowhere.
 */
final class LoadCounters {

    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder connectErrors = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    final Histogram latency = new ConcurrentHistogram(HIGHEST_TRACKABLE_MICROS, 3);
    // Completions share the read lock; closing takes the write lock, so the result is an exact
    // snapshot and an answer arriving after it is counted nowhere rather than twice.
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    boolean closed;

    /** An answer with {@code status}, or (status 0) a failure {@code error}. */
    void complete(long intendedNanos, int status, Throwable error, LoadObserver observer) {
        lock.readLock().lock();
        try {
            if (!closed) {
                observer.onCompleted(intendedNanos, System.nanoTime(), status, record(intendedNanos, status, error));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    LoadResult close(long sent, double sendSeconds, double rate, long maxLagMicros) {
        lock.writeLock().lock();
        try {
            closed = true;
            long answered = succeeded.sum() + failed.sum() + timeouts.sum() + connectErrors.sum();
            return new LoadResult(sent, succeeded.sum(), failed.sum(), timeouts.sum() + (sent - answered),
                    connectErrors.sum(), dropped.sum(), statusMap(), sendSeconds, rate, latency.copy(), maxLagMicros);
        } finally {
            lock.writeLock().unlock();
        }
    }

    LoadObserver.Outcome record(long intendedNanos, int status, Throwable error) {
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - intendedNanos);
        latency.recordValue(Math.min(Math.max(micros, 0), HIGHEST_TRACKABLE_MICROS));
        if (status > 0) {
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            boolean ok = status / 100 == 2;
            (ok ? succeeded : failed).increment();
            return ok ? LoadObserver.Outcome.SUCCESS : LoadObserver.Outcome.FAILED;
        }
        if (Errors.isTimeout(error)) {
            timeouts.increment();
            return LoadObserver.Outcome.TIMEOUT;
        }
        connectErrors.increment();
        return LoadObserver.Outcome.CONNECTION_ERROR;
    }

    Map<Integer, Long> statusMap() {
        Map<Integer, Long> map = new java.util.HashMap<>();
        statuses.forEach((status, count) -> map.put(status, count.sum()));
        return map;
    }

}

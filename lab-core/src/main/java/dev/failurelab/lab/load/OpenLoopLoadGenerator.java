package dev.failurelab.lab.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load generator: requests are sent on a fixed schedule ({@code i / rate}
 * seconds after the start), whether or not earlier ones have been answered — the way real users
 * arrive, and the only way to see a system fall behind. Latency is recorded from each request's
 * intended send time in an HdrHistogram.
 *
 * <p>Concurrency: one thread paces the sends; answers complete on the HTTP client's executor and
 * are counted in {@link LongAdder}s and a {@link ConcurrentHistogram}. A generator instance runs
 * one load at a time; create one per run.
 */
public final class OpenLoopLoadGenerator {

    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final HttpClient client;
    private final ExecutorService executor;

    public OpenLoopLoadGenerator() {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, "load-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(executor)
                .build();
    }

    /** Runs {@code spec} to completion: sends, then waits for every answer or timeout. */
    public LoadResult run(LoadSpec spec) throws InterruptedException {
        return run(spec, LoadObserver.NONE);
    }

    /** Runs {@code spec}, telling {@code observer} of every send and answer as they happen. */
    public LoadResult run(LoadSpec spec, LoadObserver observer) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(spec.target()).timeout(spec.timeout()).GET().build();
        Counters counters = new Counters();
        Semaphore outstanding = new Semaphore(spec.maxOutstanding());
        double intervalNanos = 1e9 / spec.rate();
        long durationNanos = spec.duration().toNanos();
        long start = System.nanoTime();
        long lastSend = start;
        long sent = 0;
        long maxLag = 0;
        for (long i = 0; i < spec.maxRequests(); i++) {
            long offset = (long) (i * intervalNanos);
            if (offset >= durationNanos) {
                break;
            }
            long intended = start + offset;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("load generation interrupted");
            }
            lastSend = System.nanoTime();
            maxLag = Math.max(maxLag, lastSend - intended);
            if (!outstanding.tryAcquire()) {
                counters.dropped.increment();
                continue;
            }
            sent++;
            observer.onSent(intended);
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        try {
                            counters.complete(intended, response, error, observer);
                        } finally {
                            outstanding.release();
                        }
                    });
        }
        double sendSeconds = (lastSend - start) / 1e9;
        // Every request ends by its timeout; allow a margin for the client's own bookkeeping. One
        // still unanswered after that (a starved client can fire its timeouts late) is a timeout too.
        long waitMillis = spec.timeout().toMillis() + 5_000;
        if (outstanding.tryAcquire(spec.maxOutstanding(), waitMillis, TimeUnit.MILLISECONDS)) {
            outstanding.release(spec.maxOutstanding());
        }
        return counters.close(sent, sendSeconds, spec.rate(), TimeUnit.NANOSECONDS.toMicros(maxLag));
    }

    /** Releases the client's threads. */
    public void close() {
        executor.shutdownNow();
    }

    private static final class Counters {
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

        void complete(long intendedNanos, HttpResponse<?> response, Throwable error, LoadObserver observer) {
            lock.readLock().lock();
            try {
                if (!closed) {
                    observer.onCompleted(intendedNanos, System.nanoTime(), response == null ? 0 : response.statusCode(),
                            record(intendedNanos, response, error));
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

        LoadObserver.Outcome record(long intendedNanos, HttpResponse<?> response, Throwable error) {
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - intendedNanos);
            latency.recordValue(Math.min(Math.max(micros, 0), HIGHEST_TRACKABLE_MICROS));
            if (response != null) {
                statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
                boolean ok = response.statusCode() / 100 == 2;
                (ok ? succeeded : failed).increment();
                return ok ? LoadObserver.Outcome.SUCCESS : LoadObserver.Outcome.FAILED;
            }
            if (isTimeout(error)) {
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

        private static boolean isTimeout(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof HttpTimeoutException) {
                    return true;
                }
                if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("timed out")) {
                    return true;
                }
            }
            return false;
        }
    }
}

package dev.failurelab.lab.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A closed-loop HTTP load generator, the way {@code hey -c N -q Q}, {@code wrk} and most load
 * tools work: {@code concurrency} workers, each sending its next request only once its last one
 * has been answered (at most {@code rate / concurrency} per second each, if a rate is given).
 * When the system slows down, so does the load: a worker waiting 10 s for an answer sends nothing
 * meanwhile. Real users do not wait for each other, which is why this generator hides what the
 * open-loop one ({@link OpenLoopLoadGenerator}) shows, a retry storm first of all. It is here to
 * show that difference; latency is recorded from each request's actual send, as those tools do.
 *
 * <p>Concurrency: one platform thread per worker, one JDK HTTP client shared by them (kept-alive
 * connections); counts in {@link LoadCounters}. One run per instance.
 */
public final class ClosedLoopLoadGenerator {

    /** Workers at most. */
    public static final int MAX_CONCURRENCY = 1000;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * Runs {@code concurrency} workers against {@code spec}'s targets for its duration (or its
     * request count), at most {@code spec.rate()} requests per second in all ({@code rate <= 0}:
     * as fast as the answers come); then waits for the workers' last answers.
     */
    public LoadResult run(LoadSpec spec, int concurrency, LoadObserver observer) throws InterruptedException {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY + ", got "
                    + concurrency);
        }
        LoadCounters counters = new LoadCounters();
        List<HttpRequest> requests = spec.targets().stream()
                .map(target -> HttpRequest.newBuilder(target).timeout(spec.timeout()).GET().build()).toList();
        long start = System.nanoTime();
        long end = start + spec.duration().toNanos();
        long workerIntervalNanos = spec.rate() > 0 ? (long) (1e9 * concurrency / spec.rate()) : 0;
        AtomicLong sent = new AtomicLong();
        AtomicLong lastSend = new AtomicLong(start);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long offset = workerIntervalNanos * w / concurrency; // spread the workers' first sends
            Thread worker = new Thread(() -> {
                long next = start + offset;
                while (!Thread.currentThread().isInterrupted()) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    long now = System.nanoTime();
                    long index = sent.getAndIncrement();
                    if (now >= end || index >= spec.maxRequests()) {
                        sent.decrementAndGet();
                        return;
                    }
                    lastSend.accumulateAndGet(now, Math::max);
                    observer.onSent(now);
                    send(requests.get((int) (index % requests.size())), now, counters, observer);
                    // Like a rate-limited worker: the next send is due one interval after this one,
                    // or at once if the answer took longer than that.
                    next = Math.max(now + workerIntervalNanos, System.nanoTime());
                }
            }, "closed-loop-" + w);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                workers.forEach(Thread::interrupt);
                throw e;
            }
        }
        return counters.close(sent.get(), (lastSend.get() - start) / 1e9, spec.rate(), 0);
    }

    private void send(HttpRequest request, long startNanos, LoadCounters counters, LoadObserver observer) {
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            counters.complete(startNanos, response.statusCode(), null, observer);
        } catch (IOException e) {
            counters.complete(startNanos, 0, e, observer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            counters.complete(startNanos, 0, e, observer);
        }
    }
}

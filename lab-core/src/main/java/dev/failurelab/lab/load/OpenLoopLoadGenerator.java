package dev.failurelab.lab.load;

import dev.failurelab.contract.Errors;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An open-loop HTTP load generator: requests are sent on a fixed schedule ({@code i / rate}
 * seconds after the start), whether or not earlier ones have been answered — the way real users
 * arrive, and the only way to see a system fall behind. Latency is recorded from each request's
 * intended send time in an HdrHistogram.
 *
 * <p>{@link #burst} instead fires many requests that reach their servers at one instant.
 *
 * <p>Concurrency: one thread paces the sends and only hands each request to a Reactor Netty
 * client on the generator's own event loops (kept-alive connections, pooled); answers complete
 * there and are counted in {@link LongAdder}s and a {@link ConcurrentHistogram}. A generator instance runs
 * one load at a time; create one per run.
 */
public final class OpenLoopLoadGenerator {

    /**
     * Connections the generator opens at most per target; past it requests wait for one (their
     * latency still counts from their intended send time). Unbounded, a server that falls behind
     * gets a new connection per late request — thousands of SYNs past its accept backlog, each
     * dropped one a 1 s retransmit — and the generator itself turns a stall into a collapse.
     */
    static final int MAX_CONNECTIONS = 1024;
    private static final Duration PRIMER_TIMEOUT = Duration.ofSeconds(2);
    /** The pacing thread parks until this close to a send, then spins. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(80);

    private final LoopResources loops;
    private final ConnectionProvider connections;
    private final HttpClient client;

    public OpenLoopLoadGenerator() {
        // Its own event loops: in one JVM with the fault proxy (the embedded topology), the load
        // must not share the proxy's loops, or each would slow the other.
        this.loops = LoopResources.create("load", Math.max(2, Runtime.getRuntime().availableProcessors()), true);
        this.connections = ConnectionProvider.builder("load")
                .maxConnections(MAX_CONNECTIONS)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.client = HttpClient.create(connections)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .option(ChannelOption.TCP_NODELAY, true)
                .keepAlive(true);
        // Event loops, resolver and native transport up front, or the first requests of a run
        // wait for them (seconds on a busy machine) and arrive as a burst.
        client.warmup().block(Duration.ofSeconds(30));
    }

    /** Runs {@code spec} to completion: sends, then waits for every answer or timeout. */
    public LoadResult run(LoadSpec spec) throws InterruptedException {
        return run(spec, LoadObserver.NONE);
    }

    /** Runs {@code spec}, telling {@code observer} of every send and answer as they happen. */
    public LoadResult run(LoadSpec spec, LoadObserver observer) throws InterruptedException {
        // One cold Mono per target, subscribed once per request: the request is built once (unless
        // each request has headers of its own).
        List<Mono<Integer>> requests = spec.targets().stream()
                .map(target -> request(client, target.toString(), spec.timeout()))
                .toList();
        prime(requests);
        boolean headed = spec.headers() != RequestHeaders.NONE;
        boolean keyed = spec.plan() != RequestPlan.TARGET;
        LoadCounters counters = new LoadCounters();
        Semaphore outstanding = new Semaphore(spec.maxOutstanding());
        Schedule schedule = new Schedule(spec.schedule());
        long start = System.nanoTime();
        long startEpochMillis = System.currentTimeMillis();
        long lastSend = start;
        long sent = 0;
        long maxLag = 0;
        for (long i = 0; i < spec.maxRequests(); i++) {
            long offset = schedule.next();
            if (offset < 0) {
                break;
            }
            long intended = start + offset;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                // A park overshoots by tens of microseconds; spin the last stretch to send on time.
                if (wait > SPIN_NANOS) {
                    LockSupport.parkNanos(wait - SPIN_NANOS);
                } else {
                    Thread.onSpinWait();
                }
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
            RequestPlan.Request planned = keyed ? spec.plan().of(i) : null;
            Mono<Integer> request = headed || planned != null
                    ? request(headed ? headers(spec.headers().of(i, startEpochMillis + offset / 1_000_000)) : client,
                            spec.targets().get((int) (i % requests.size())), planned, spec.timeout())
                    : requests.get((int) (i % requests.size()));
            request.subscribe(
                    status -> {
                        try {
                            counters.complete(intended, status, null, observer);
                        } finally {
                            outstanding.release();
                        }
                    },
                    error -> {
                        try {
                            counters.complete(intended, 0, error, observer);
                        } finally {
                            outstanding.release();
                        }
                    });
        }
        double sendSeconds = (lastSend - start) / 1e9;
        // Every request ends by its timeout; allow a margin for the client's own bookkeeping. One
        // still unanswered after that is a timeout too.
        long waitMillis = spec.timeout().toMillis() + 5_000;
        if (outstanding.tryAcquire(spec.maxOutstanding(), waitMillis, TimeUnit.MILLISECONDS)) {
            outstanding.release(spec.maxOutstanding());
        }
        return counters.close(sent, sendSeconds, spec.meanRate(), TimeUnit.NANOSECONDS.toMicros(maxLag));
    }

    /**
     * The intended send offsets of a rate schedule: within each step, one every 1 / rate seconds
     * from the step's start. Not thread-safe: the pacing thread's own.
     */
    private static final class Schedule {
        private final List<LoadSpec.Step> steps;
        private int step;
        private long stepStart;
        private long inStep;

        Schedule(List<LoadSpec.Step> steps) {
            this.steps = steps;
        }

        /** The next send's offset from the start (nanoseconds), or -1 once the schedule is over. */
        long next() {
            while (step < steps.size()) {
                LoadSpec.Step current = steps.get(step);
                long offset = (long) (inStep * 1e9 / current.rate());
                if (offset < current.duration().toNanos()) {
                    inStep++;
                    return stepStart + offset;
                }
                stepStart += current.duration().toNanos();
                step++;
                inStep = 0;
            }
            return -1;
        }
    }

    private static Mono<Integer> request(HttpClient client, String target, Duration timeout) {
        return client.get().uri(target)
                .responseSingle((response, body) -> body.then(Mono.fromSupplier(() -> response.status().code())))
                .timeout(timeout);
    }

    /** A request of a plan: its method and its path under {@code target} (a {@code GET} of the target if none). */
    private static Mono<Integer> request(HttpClient client, URI target, RequestPlan.Request planned,
            Duration timeout) {
        if (planned == null) {
            return request(client, target.toString(), timeout);
        }
        return (planned.post() ? client.post() : client.get()).uri(target.resolve(planned.path()).toString())
                .responseSingle((response, body) -> body.then(Mono.fromSupplier(() -> response.status().code())))
                .timeout(timeout);
    }

    private HttpClient headers(Map<String, String> headers) {
        return client.headers(h -> headers.forEach(h::set));
    }

    /**
     * One uncounted request per target before the clock starts: it loads the request path's
     * classes and opens a connection, which in a fresh JVM holds the first sends back for a
     * second or more — at 3,000 req/s a backlog of thousands, measured as the target's latency.
     * Its answer (or failure: a target that is down fails the run's requests instead) is ignored.
     */
    private static void prime(List<Mono<Integer>> requests) {
        for (Mono<Integer> request : requests) {
            try {
                request.timeout(PRIMER_TIMEOUT).onErrorResume(e -> Mono.empty()).block();
            } catch (RuntimeException e) {
                // ignored: see above
            }
        }
    }

    /**
     * Fires a burst whose requests reach their servers at one instant: every connection is opened
     * and every request written but its final CRLF beforehand; at {@code fireAt} the last two bytes
     * go out on every connection in one tight loop (last-byte synchronisation), so the servers see
     * {@code count} complete requests within a millisecond or two — which no client that still has
     * to connect, encode and write each request at fire time can do. Requests ask
     * {@code Connection: close}; an answer ends when the server closes. Latency counts from the
     * instant. Runs on the calling thread.
     */
    public LoadResult burst(BurstSpec spec) throws InterruptedException {
        LoadCounters counters = new LoadCounters();
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < spec.count(); i++) {
                URI target = spec.targets().get(i % spec.targets().size());
                try {
                    SocketChannel channel = SocketChannel.open(new InetSocketAddress(target.getHost(), port(target)));
                    channel.socket().setTcpNoDelay(true);
                    writeFully(channel, head(target));
                    open.add(channel);
                } catch (IOException e) {
                    counters.complete(System.nanoTime(), 0, e, LoadObserver.NONE);
                }
            }
            if (spec.fireAt() != null) {
                long wait;
                while ((wait = spec.fireAt().toEpochMilli() - System.currentTimeMillis()) > 0) {
                    Thread.sleep(wait);
                }
            }
            long fired = System.nanoTime();
            ByteBuffer lastBytes = ByteBuffer.wrap(CRLF);
            List<SocketChannel> sent = new ArrayList<>(open.size());
            for (SocketChannel channel : open) {
                try {
                    writeFully(channel, lastBytes.duplicate());
                    sent.add(channel);
                } catch (IOException e) {
                    counters.complete(fired, 0, e, LoadObserver.NONE);
                }
            }
            double sendSeconds = (System.nanoTime() - fired) / 1e9;
            readAnswers(sent, fired, spec.timeout(), counters);
            return counters.close(spec.count(), sendSeconds, 0, (long) (sendSeconds * 1e6));
        } finally {
            for (SocketChannel channel : open) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already closed by the server
                }
            }
        }
    }

    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private static ByteBuffer head(URI target) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path += "?" + target.getRawQuery();
        }
        return ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + port(target)
                + "\r\nUser-Agent: failure-lab-burst\r\nAccept: */*\r\nConnection: close\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static int port(URI target) {
        return target.getPort() > 0 ? target.getPort() : 80;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Reads every answer to its end (the server closes), recording its status line's code. */
    private static void readAnswers(List<SocketChannel> channels, long fired, Duration timeout, LoadCounters counters)
            throws InterruptedException {
        long deadline = fired + timeout.toNanos();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : channels) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, new StringBuilder());
            }
            int pending = channels.size();
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("burst interrupted");
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    StringBuilder statusLine = (StringBuilder) key.attachment();
                    int read;
                    try {
                        buffer.clear();
                        read = channel.read(buffer);
                    } catch (IOException e) {
                        key.cancel();
                        pending--;
                        counters.complete(fired, 0, e, LoadObserver.NONE);
                        continue;
                    }
                    for (int i = 0; i < read && statusLine.length() < 16; i++) {
                        statusLine.append((char) buffer.get(i));
                    }
                    if (read < 0) {
                        key.cancel();
                        pending--;
                        int status = statusOf(statusLine);
                        counters.complete(fired, status, status == 0
                                ? new IOException("connection closed without an answer") : null, LoadObserver.NONE);
                    }
                }
                selector.selectedKeys().clear();
            }
            // Whatever is still pending at the deadline is counted as a timeout by Counters.close.
        } catch (IOException e) {
            throw new UncheckedIOException("burst: " + e.getMessage(), e);
        }
    }

    /** The code of an {@code HTTP/1.1 200 ...} status line, or 0. */
    static int statusOf(CharSequence statusLine) {
        String line = statusLine.toString();
        if (!line.startsWith("HTTP/1.") || line.length() < 12) {
            return 0;
        }
        try {
            return Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Closes the client's connections and releases its threads: gracefully within 5 s each, else at
     * once (a busy machine may not close hundreds of connections in time; they are cleanup, not a result).
     */
    public void close() {
        try {
            connections.disposeLater().block(Duration.ofSeconds(5));
        } catch (IllegalStateException slow) {
            connections.dispose();
        }
        try {
            loops.disposeLater().block(Duration.ofSeconds(5));
        } catch (IllegalStateException slow) {
            loops.dispose();
        }
    }
}

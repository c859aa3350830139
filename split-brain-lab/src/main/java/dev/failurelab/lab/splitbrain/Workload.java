package dev.failurelab.lab.splitbrain;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The split-brain lab's clients, as Jepsen's are: each client runs one operation at a time at a fixed
 * pace (a history needs each client's operations in sequence), a write of a unique value or a read,
 * on one of the row's registers, and records every operation with its call and return instants and
 * its outcome. A client lives on the side of its home node: while a partition is in force it reaches
 * only the nodes of that side. It sends to the node it believes leads, follows a refusal's hint, and
 * moves on to the next node of its side when a node does not answer.
 *
 * <p>Concurrency: one thread per client; {@link #history()} and {@link #writes()} may be read at any time.
 */
final class Workload implements AutoCloseable {

    /** One write as the client saw it: where it went, and its outcome. */
    record Write(String id, String key, long value, String node, String outcome, long call, long ret) {
    }

    private final StoreClient client;
    private final List<String> names;
    private final List<URI> urls;
    private final List<String> keys;
    private final long valueBase;
    private final String idPrefix;
    private final int clients;
    private final double rate;
    private final double readShare;
    private final ExecutorService threads;
    // Appends from every client, copies on demand: a drill's load runs for minutes.
    private final Queue<Operation> history = new ConcurrentLinkedQueue<>();
    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Set<String> sideA = Set.of();
    private volatile boolean running = true;

    /**
     * @param names     the nodes' names, in order (client i's home is node i mod n)
     * @param urls      their app URLs
     * @param keys      the registers of this row
     * @param valueBase added to every value written (unique across rows)
     */
    Workload(StoreClient client, List<String> names, List<URI> urls, List<String> keys, long valueBase, String idPrefix,
            int clients, double rate, double readShare, long seed) {
        this.client = client;
        this.names = List.copyOf(names);
        this.urls = List.copyOf(urls);
        this.keys = List.copyOf(keys);
        this.valueBase = valueBase;
        this.idPrefix = idPrefix;
        this.clients = clients;
        this.rate = rate;
        this.readShare = readShare;
        this.threads = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "split-brain-client");
            t.setDaemon(true);
            return t;
        });
        for (int c = 0; c < clients; c++) {
            int number = c + 1;
            long clientSeed = seed * 31 + c;
            threads.execute(() -> loop(number, new Random(clientSeed)));
        }
    }

    /**
     * A partition: the nodes of side A (the rest are side B). A client on one side reaches only its
     * side's nodes; empty ends the partition.
     */
    void partition(Set<String> sideA) {
        this.sideA = Set.copyOf(sideA);
    }

    private boolean sameSide(int home, int node) {
        Set<String> a = sideA;
        return a.isEmpty() || a.contains(names.get(home)) == a.contains(names.get(node));
    }

    /** The node a client of home {@code home} turns to after {@code from}: the next one of its side. */
    private int next(int home, int from) {
        for (int step = 1; step <= names.size(); step++) {
            int candidate = (from + step) % names.size();
            if (sameSide(home, candidate)) {
                return candidate;
            }
        }
        return home;
    }

    private void loop(int number, Random random) {
        int home = (number - 1) % names.size();
        int target = home;
        long interval = (long) (1_000_000_000L / rate);
        long next = System.nanoTime() + random.nextInt((int) Math.max(1, interval / 1000)) * 1000L;
        int seq = 0;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            next = Math.max(next + interval, System.nanoTime());
            if (!running) {
                return;
            }
            if (!sameSide(home, target)) {
                target = next(home, target);
            }
            String key = keys.get(random.nextInt(keys.size()));
            URI node = urls.get(target);
            String hint;
            boolean moveOn;
            if (random.nextDouble() < readShare) {
                long call = System.nanoTime();
                StoreClient.ReadResult read = client.read(node, key);
                long ret = System.nanoTime();
                if (read.ok()) {
                    history.add(Operation.read(ids.getAndIncrement(), number, key, read.value(), call, ret));
                }
                hint = read.leader();
                moveOn = !read.ok();
            } else {
                seq++;
                long value = valueBase + number * 1_000_000L + seq;
                String id = idPrefix + "-c" + number + "-" + seq;
                long call = System.nanoTime();
                StoreClient.WriteResult written = client.write(node, id, key, value);
                long ret = System.nanoTime();
                Operation.Outcome outcome = written.acked() ? Operation.Outcome.OK
                        : written.refused() ? Operation.Outcome.FAIL : Operation.Outcome.INFO;
                history.add(Operation.write(ids.getAndIncrement(), number, key, value, call, ret, outcome));
                writes.add(new Write(id, key, value, names.get(target), written.outcome(), call, ret));
                hint = written.leader();
                moveOn = !written.acked();
            }
            if (moveOn) {
                int hinted = hint == null ? -1 : names.indexOf(hint);
                target = hinted >= 0 && hinted != target && sameSide(home, hinted) ? hinted : next(home, target);
            }
        }
    }

    /** Every operation so far. */
    List<Operation> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    /** Every write so far, with where it went and its outcome. */
    List<Write> writes() {
        return Collections.unmodifiableList(new ArrayList<>(writes));
    }

    /** Stops the clients, waiting for the operations in flight (each bounded by the client's timeout). */
    @Override
    public void close() {
        running = false;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** How long a client waits between two of its operations. */
    Duration interval() {
        return Duration.ofNanos((long) (1_000_000_000L / rate));
    }
}

package dev.failurelab.lab.splitbrain;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Asks every node whether it leads, all at once, every {@value #EVERY_MS} ms: the leaders at one
 * instant (the signature of split brain is two), and the highest term.
 *
 * <p>Concurrency: one sampling thread; {@link #samples()} may be read at any time.
 */
final class LeaderSampler implements AutoCloseable {

    static final long EVERY_MS = 100;

    /** One instant: the nodes that said they led, and the highest term any node reported. */
    record Sample(long nanos, List<String> leaders, long term) {
    }

    private final StoreClient client;
    private final List<String> names;
    private final List<URI> urls;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ExecutorService asks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "split-brain-sampler");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    LeaderSampler(StoreClient client, List<String> names, List<URI> urls) {
        this.client = client;
        this.names = List.copyOf(names);
        this.urls = List.copyOf(urls);
        asks.execute(this::loop);
    }

    private void loop() {
        while (running) {
            long at = System.nanoTime();
            List<CompletableFuture<JsonNode>> statuses = new ArrayList<>();
            for (URI url : urls) {
                statuses.add(CompletableFuture.supplyAsync(() -> client.status(url), asks));
            }
            TreeSet<String> leaders = new TreeSet<>();
            long term = 0;
            for (int i = 0; i < urls.size(); i++) {
                JsonNode status = statuses.get(i).join();
                if (status != null) {
                    if (status.path("leader").asBoolean()) {
                        leaders.add(names.get(i));
                    }
                    term = Math.max(term, status.path("term").asLong());
                }
            }
            samples.add(new Sample(at, List.copyOf(leaders), term));
            long left = TimeUnit.MILLISECONDS.toNanos(EVERY_MS) - (System.nanoTime() - at);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        running = false;
        asks.shutdownNow();
    }
}

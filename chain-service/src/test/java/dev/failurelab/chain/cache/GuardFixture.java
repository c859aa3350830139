package dev.failurelab.chain.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Guards over a real Redis, one per simulated replica (each with its own connections, as two JVMs
 * would have), and a way to fire many reads at once.
 */
final class GuardFixture implements AutoCloseable {

    private final ClientResources resources = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            .build();
    private final RedisClient client;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    GuardFixture(String redisUrl) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(Duration.ofMillis(300));
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(300)))
                .build());
    }

    static String uniqueKey() {
        return "test:" + UUID.randomUUID();
    }

    StampedeGuard guard(StampedeGuard.Settings settings, RecomputeStrategy strategy, SimpleMeterRegistry registry) {
        StatefulRedisConnection<String, String> connection = client.connect();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        StampedeGuard guard = new StampedeGuard(connection.sync(), pubSub, new RedisLock(connection.sync()), settings, strategy,
                System::currentTimeMillis, () -> ThreadLocalRandom.current().nextDouble(), registry);
        opened.add(guard);
        opened.add(pubSub);
        opened.add(connection);
        return guard;
    }

    StampedeGuard guard(StampedeGuard.Settings settings, RecomputeStrategy strategy) {
        return guard(settings, strategy, new SimpleMeterRegistry());
    }

    /** {@code count} reads of {@code key}, spread over {@code replicas} in turn. */
    static List<Callable<StampedeGuard.Read>> reads(int count, List<StampedeGuard> replicas, String key,
            StampedeGuard.Loader loader) {
        List<Callable<StampedeGuard.Read>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StampedeGuard guard = replicas.get(i % replicas.size());
            tasks.add(() -> guard.get(key, loader));
        }
        return tasks;
    }

    /** Runs every task at once (a barrier releases them together) and returns their futures. */
    <T> List<Future<T>> together(List<Callable<T>> tasks) {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return task.call();
            }));
        }
        return futures;
    }

    <T> Future<T> submit(Callable<T> task) {
        return threads.submit(task);
    }

    @Override
    public void close() throws Exception {
        threads.shutdownNow();
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        client.shutdown();
        resources.shutdown();
    }
}

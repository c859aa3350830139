package dev.failurelab.chain;

import dev.failurelab.contract.ChainMetricNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.load.LoadResult;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.OpenLoopLoadGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The bottom's capacity is real: offered twice what it can serve, it queues, then sheds, and
 * serves no more than its capacity.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=bottom",
        "chain.capacity.max-concurrency=4",
        "chain.capacity.queue-capacity=4",
        "chain.capacity.queue-timeout=100ms",
        "chain.capacity.service-time=50ms"})
class BottomCapacityIT {

    private static final double CAPACITY_PER_SECOND = 4 / 0.050;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void atTwiceItsCapacity_theBottomQueuesThenSheds_andServesNoMoreThanItsCapacity() throws Exception {
        URI target = URI.create("http://127.0.0.1:" + port + "/api/chain");
        AtomicInteger maxQueue = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> maxQueue.accumulateAndGet(
                (int) registry.get(ChainMetricNames.CAPACITY_QUEUE_DEPTH).gauge().value(), Math::max),
                0, 5, TimeUnit.MILLISECONDS);
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        Duration duration = Duration.ofSeconds(3);
        LoadResult result;
        try {
            result = generator.run(LoadSpec.of(target, 2 * CAPACITY_PER_SECOND, duration));
        } finally {
            generator.close();
            sampler.shutdownNow();
        }

        double offered = result.sent();
        double servable = CAPACITY_PER_SECOND * duration.toMillis() / 1000.0;
        double shed = registry.get(ChainMetricNames.CAPACITY_REJECTIONS).counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(maxQueue.get()).as("requests queued for a slot").isGreaterThanOrEqualTo(1);
        assertThat((double) result.succeeded()).as("served, at most capacity x duration (+ one queue's worth)")
                .isLessThanOrEqualTo(servable * 1.1 + 8);
        assertThat(result.statuses().getOrDefault(503, 0L)).as("requests shed with 503")
                .isGreaterThanOrEqualTo((long) (offered * 0.3));
        assertThat(shed).as("shed requests counted in " + ChainMetricNames.CAPACITY_REJECTIONS)
                .isEqualTo((double) result.statuses().getOrDefault(503, 0L));
        assertThat(result.succeeded() + result.failed()).as("every request answered").isEqualTo(result.sent());
    }
}

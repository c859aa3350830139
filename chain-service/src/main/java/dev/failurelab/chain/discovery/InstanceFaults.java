package dev.failurelab.chain.discovery;

import dev.failurelab.chain.DaemonThreads;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The service-discovery lab's faults on one registered instance (a bottom), each with a TTL:
 * <ul>
 *   <li><b>kill</b>: the instance dies without deregistering: its port refuses connections (the
 *       Tomcat connector is stopped and unbound), it sends the registry nothing (no heartbeat, no
 *       cancel) and its health check fails; at the end of the TTL it comes back (its next heartbeat
 *       finds its lease gone if it was evicted, and it registers again, as a restarted process does);</li>
 *   <li><b>health flap</b>: its health check alternates, {@code period} down then {@code period} up,
 *       until the TTL runs out (it serves requests all along).</li>
 * </ul>
 * Shown in {@code chain.discovery.instance.fault{fault}}.
 *
 * <p>Concurrency: thread-safe (volatile states; the connector is stopped and started under the lock).
 */
public final class InstanceFaults implements HealthIndicator, AutoCloseable {

    /** The longest TTL of a fault. */
    public static final Duration MAX_TTL = Duration.ofMinutes(10);

    private record Flap(long startNanos, long periodNanos, long untilNanos) {
    }

    private final LongSupplier nanoClock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("instance-fault"));
    private volatile long killedUntilNanos;
    private volatile boolean killed;
    private volatile Flap flap;
    private volatile Connector connector;
    private ScheduledFuture<?> revival;

    public InstanceFaults(LongSupplier nanoClock, MeterRegistry registry) {
        this.nanoClock = nanoClock;
        Gauge.builder(ChainMetricNames.DISCOVERY_INSTANCE_FAULT, this, f -> f.killed() ? 1 : 0)
                .tag("fault", "kill").description("1 while this instance's fault is in force").register(registry);
        Gauge.builder(ChainMetricNames.DISCOVERY_INSTANCE_FAULT, this, f -> f.flapRemainingMillis() > 0 ? 1 : 0)
                .tag("fault", "health-flap").description("1 while this instance's fault is in force").register(registry);
    }

    /** The connector of the instance's own port (not the management port's), once it is serving. */
    void connector(Connector connector) {
        this.connector = connector;
    }

    /** Kills the instance for {@code ttl} (a kill in force is extended or shortened to it). */
    public synchronized void kill(Duration ttl) {
        check(ttl, "ttl");
        killedUntilNanos = nanoClock.getAsLong() + ttl.toNanos();
        if (revival != null) {
            revival.cancel(false);
        }
        revival = timer.schedule(this::revive, ttl.toMillis(), TimeUnit.MILLISECONDS);
        if (!killed) {
            killed = true;
            Connector serving = connector;
            if (serving != null) {
                try {
                    serving.stop(); // unbinds: connections are refused (bindOnInit=false)
                } catch (org.apache.catalina.LifecycleException e) {
                    throw new IllegalStateException("the instance's port did not stop: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Brings a killed instance back now. */
    public synchronized void revive() {
        killedUntilNanos = 0;
        if (revival != null) {
            revival.cancel(false);
            revival = null;
        }
        if (killed) {
            killed = false;
            Connector serving = connector;
            if (serving != null) {
                try {
                    serving.start();
                } catch (org.apache.catalina.LifecycleException e) {
                    throw new IllegalStateException("the instance's port did not come back: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Whether the instance is killed now. */
    public boolean killed() {
        return killed;
    }

    /** Milliseconds until a kill in force ends; 0 if none. */
    public long killRemainingMillis() {
        long left = killedUntilNanos - nanoClock.getAsLong();
        return killed && left > 0 ? Duration.ofNanos(left).toMillis() : 0;
    }

    /** Flaps the instance's health, {@code period} down then {@code period} up, for {@code ttl}. */
    public void flap(Duration period, Duration ttl) {
        check(period, "period");
        check(ttl, "ttl");
        long now = nanoClock.getAsLong();
        flap = new Flap(now, period.toNanos(), now + ttl.toNanos());
    }

    /** Ends the health flap in force, if any. */
    public void endFlap() {
        flap = null;
    }

    /** Milliseconds until the flap in force ends; 0 if none. */
    public long flapRemainingMillis() {
        Flap now = flap;
        long left = now == null ? 0 : now.untilNanos() - nanoClock.getAsLong();
        return left > 0 ? Duration.ofNanos(left).toMillis() : 0;
    }

    /** The flap's period, or null if none is in force. */
    public Duration flapPeriod() {
        Flap now = flap;
        return now == null || flapRemainingMillis() == 0 ? null : Duration.ofNanos(now.periodNanos());
    }

    /** Whether a health flap has the health down now (the first period of each two). */
    boolean flappedDown() {
        Flap now = flap;
        if (now == null) {
            return false;
        }
        long at = nanoClock.getAsLong();
        return at - now.untilNanos() < 0 && ((at - now.startNanos()) / now.periodNanos()) % 2 == 0;
    }

    @Override
    public Health health() {
        if (killed) {
            return Health.down().withDetail("fault", "killed").build();
        }
        if (flappedDown()) {
            return Health.down().withDetail("fault", "health-flap").build();
        }
        return Health.up().build();
    }

    private static void check(Duration value, String field) {
        if (value == null || value.isNegative() || value.isZero() || value.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(field + " must be between 1ms and " + MAX_TTL.toMinutes() + "m");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

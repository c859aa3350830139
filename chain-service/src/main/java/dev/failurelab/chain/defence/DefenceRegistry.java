package dev.failurelab.chain.defence;

import dev.failurelab.chain.DaemonThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The defences this service offers, by id, each with its one gauge:
 * {@code <meter>{<field>="<option>"}} is 1 for the option in force and 0 for the others; and
 * their leases. A switch with a lease reverts to the defence's default when the lease runs out
 * unless renewed (a lab renews its switches while it runs, so a lab that is killed cannot leave
 * a storm-prone policy behind); a switch without one (the course's scripts) holds until the next.
 *
 * <p>Thread-safe: the defences are fixed at start-up; a switch and its lease change together
 * under this registry's lock; reverts run on one daemon thread.
 */
@Component
public class DefenceRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DefenceRegistry.class);

    private final Map<String, SwitchableDefence> defences = new LinkedHashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final ScheduledExecutorService reverts = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("defence-lease"));

    /** A pending revert. */
    private record Lease(ScheduledFuture<?> revert, long expiresAtNanos) {
    }

    public DefenceRegistry(List<SwitchableDefence> defences, MeterRegistry registry) {
        for (SwitchableDefence defence : defences) {
            if (this.defences.putIfAbsent(defence.defence().id(), defence) != null) {
                throw new IllegalStateException("two beans offer the defence " + defence.defence().id());
            }
            for (String option : defence.defence().options()) {
                Gauge.builder(defence.defence().meter(), defence, d -> d.current().equals(option) ? 1 : 0)
                        .description("1 for the " + defence.defence().field() + " in force, 0 for the others")
                        .tag(defence.defence().field(), option)
                        .register(registry);
            }
        }
    }

    /**
     * Puts {@code option} in force; with a {@code lease}, until it runs out (then the default), and
     * any earlier lease is replaced; without one, for good (any lease is cancelled).
     */
    public synchronized void switchTo(SwitchableDefence defence, String option, Duration lease) {
        String id = defence.defence().id();
        Lease previous = leases.remove(id);
        if (previous != null) {
            previous.revert().cancel(false);
        }
        defence.switchTo(option);
        if (lease != null && !option.equals(defence.defence().defaultOption())) {
            java.util.concurrent.CompletableFuture<Lease> self = new java.util.concurrent.CompletableFuture<>();
            ScheduledFuture<?> revert = reverts.schedule(() -> expire(defence, self.join()), lease.toNanos(),
                    TimeUnit.NANOSECONDS);
            Lease granted = new Lease(revert, System.nanoTime() + lease.toNanos());
            self.complete(granted);
            leases.put(id, granted);
        }
    }

    /**
     * Extends the lease of {@code option} if it is still in force (a renewal that crossed a newer
     * switch changes nothing).
     *
     * @return whether it was in force
     */
    public synchronized boolean renew(SwitchableDefence defence, String option, Duration lease) {
        if (!defence.current().equals(option)) {
            return false;
        }
        switchTo(defence, option, lease);
        return true;
    }

    private synchronized void expire(SwitchableDefence defence, Lease lease) {
        String id = defence.defence().id();
        if (leases.get(id) != lease) {
            return; // renewed or replaced meanwhile
        }
        leases.remove(id);
        LOG.warn("lease of {}={} ran out (not renewed): back to {}", id, defence.current(),
                defence.defence().defaultOption());
        defence.switchTo(defence.defence().defaultOption());
    }

    /** Milliseconds left on {@code defence}'s lease, or empty if it holds for good. */
    public synchronized Optional<Long> leaseRemainingMillis(SwitchableDefence defence) {
        Lease lease = leases.get(defence.defence().id());
        return lease == null ? Optional.empty()
                : Optional.of(Math.max(0, TimeUnit.NANOSECONDS.toMillis(lease.expiresAtNanos() - System.nanoTime())));
    }

    @Override
    public void close() {
        reverts.shutdownNow();
    }

    public Optional<SwitchableDefence> find(String id) {
        return Optional.ofNullable(defences.get(id));
    }

    /** The ids of every defence offered here. */
    public List<String> ids() {
        return List.copyOf(defences.keySet());
    }
}

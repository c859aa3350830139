package dev.failurelab.chain.discovery;

import dev.failurelab.chain.DaemonThreads;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The calling hop's choice of an instance of its next hop, found through the registry: the
 * instances it knows (its Eureka client's copy of the registry, or none once that copy is older than
 * {@code max-registry-age} under {@code registry-cache=drop}), less those its own health checks
 * find down ({@code health-checks}: plain, or with hysteresis: down after {@code fall} failed checks
 * in a row, up again after {@code rise} good ones) and those ejected as outliers
 * ({@code outlier-ejection}: after {@code consecutive-errors} failed calls in a row, for
 * {@code base-ejection-time} × the times ejected, never more than {@code max-ejection-share} of the
 * instances at once, at least one), taken round robin. Every change to the instances it calls is a
 * membership change.
 *
 * <p>Concurrency: thread-safe; one daemon thread refreshes the view every {@code 250 ms} and runs
 * the health checks (asynchronous HTTP).
 */
public final class InstanceBalancer implements AutoCloseable {

    /** One instance: its id in the registry, its base URL, its health URL. */
    public record Endpoint(String id, URI base, URI health) {
    }

    /** The registry as the client sees it. */
    public interface Registry {
        /** The instances in the client's copy of the registry (status UP). */
        List<Endpoint> instances();

        /** Milliseconds since the client's last successful fetch, or -1 before the first. */
        long ageMillis();
    }

    /**
     * The settings.
     *
     * @param keepCache        whether the client keeps its copy of the registry however old it is
     * @param maxRegistryAge   under {@code drop}: the age past which the copy is not used
     * @param healthMode       off, plain or hysteresis
     * @param healthInterval   time between two checks of an instance
     * @param healthTimeout    a check's time allowed
     * @param fall             failed checks in a row that take an instance out (hysteresis)
     * @param rise             good checks in a row that bring it back (hysteresis)
     * @param hysteresis       the decision under {@code hysteresis} (the project's {@link RiseFallHealthPolicy},
     *                         or the exercise's)
     * @param ejection         whether outlier ejection is on
     * @param consecutiveErrors failed calls in a row that eject an instance
     * @param baseEjectionTime the first ejection's length (the n-th: n times it)
     * @param maxEjectionTime  the longest ejection
     * @param maxEjectionShare the largest share of the instances ejected at once (at least one)
     */
    public record Settings(Supplier<Boolean> keepCache, Duration maxRegistryAge, Supplier<String> healthMode,
            Duration healthInterval, Duration healthTimeout, int fall, int rise, HealthPolicy hysteresis,
            Supplier<Boolean> ejection,
            int consecutiveErrors, Duration baseEjectionTime, Duration maxEjectionTime, double maxEjectionShare) {
    }

    private static final class Health {
        volatile boolean healthy = true;
        int successes;
        int failures;
        long nextCheckNanos;
        boolean inFlight;
    }

    private static final class Outlier {
        int consecutiveErrors;
        int ejections;
        long ejectedUntilNanos;
    }

    private final Registry registry;
    private final Settings settings;
    private final LongSupplier nanoClock;
    private final HttpClient http;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("instance-balancer"));
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final Map<String, Outlier> outliers = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final MeterRegistry meters;
    private final Counter added;
    private final Counter removed;
    private volatile List<Endpoint> known = List.of();
    private volatile List<Endpoint> eligible = List.of();
    private Set<String> eligibleIds = null;

    public InstanceBalancer(Registry registry, Settings settings, LongSupplier nanoClock, MeterRegistry meters) {
        this.registry = registry;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.meters = meters;
        this.http = HttpClient.newBuilder().connectTimeout(settings.healthTimeout()).build();
        this.added = membership(meters, "added");
        this.removed = membership(meters, "removed");
        Gauge.builder(ChainMetricNames.DISCOVERY_INSTANCES, this, b -> b.known.size())
                .tag(ChainMetricNames.STATE, "known").description("Instances of the next hop this hop knows")
                .register(meters);
        Gauge.builder(ChainMetricNames.DISCOVERY_INSTANCES, this, b -> b.eligible.size())
                .tag(ChainMetricNames.STATE, "eligible").description("Instances of the next hop this hop knows")
                .register(meters);
        Gauge.builder(ChainMetricNames.DISCOVERY_REGISTRY_AGE, registry, r -> r.ageMillis() < 0 ? Double.NaN
                : r.ageMillis() / 1000.0).baseUnit("seconds")
                .description("Seconds since this hop's last successful registry fetch").register(meters);
    }

    private static Counter membership(MeterRegistry meters, String change) {
        return Counter.builder(ChainMetricNames.DISCOVERY_MEMBERSHIP_CHANGES).tag(ChainMetricNames.CHANGE, change)
                .description("Changes to the instances this hop calls").register(meters);
    }

    /** Starts refreshing the view. */
    public InstanceBalancer start() {
        refresh();
        timer.scheduleWithFixedDelay(this::refreshQuietly, 250, 250, TimeUnit.MILLISECONDS);
        return this;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(InstanceBalancer.class).warn("instance view not refreshed: {}",
                    e.toString());
        }
    }

    /** Recomputes the instances known and eligible, and starts the health checks due. */
    synchronized void refresh() {
        long age = registry.ageMillis();
        boolean usable = settings.keepCache().get() || age >= 0 && age <= settings.maxRegistryAge().toMillis();
        List<Endpoint> now = usable ? registry.instances() : List.of();
        known = List.copyOf(now);
        Set<String> ids = new LinkedHashSet<>();
        now.forEach(e -> ids.add(e.id()));
        health.keySet().retainAll(ids);
        outliers.keySet().retainAll(ids);
        String mode = settings.healthMode().get();
        long at = nanoClock.getAsLong();
        List<Endpoint> chosen = new ArrayList<>();
        for (Endpoint endpoint : now) {
            Health state = health.computeIfAbsent(endpoint.id(), id -> new Health());
            if (!"off".equals(mode)) {
                check(endpoint, state, mode, at);
            }
            Outlier outlier = outliers.get(endpoint.id());
            boolean ejected = outlier != null && at - outlier.ejectedUntilNanos < 0 && settings.ejection().get();
            if (("off".equals(mode) || state.healthy) && !ejected) {
                chosen.add(endpoint);
            }
        }
        eligible = List.copyOf(chosen);
        Set<String> chosenIds = new LinkedHashSet<>();
        chosen.forEach(e -> chosenIds.add(e.id()));
        if (eligibleIds != null) {
            added.increment(chosenIds.stream().filter(id -> !eligibleIds.contains(id)).count());
            removed.increment(eligibleIds.stream().filter(id -> !chosenIds.contains(id)).count());
        }
        eligibleIds = chosenIds;
    }

    private void check(Endpoint endpoint, Health state, String mode, long at) {
        synchronized (state) {
            if (state.inFlight || at - state.nextCheckNanos < 0) {
                return;
            }
            state.inFlight = true;
            state.nextCheckNanos = at + settings.healthInterval().toNanos();
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint.health()).timeout(settings.healthTimeout()).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean good = error == null && response.statusCode() == 200;
            synchronized (state) {
                state.inFlight = false;
                state.successes = good ? state.successes + 1 : 0;
                state.failures = good ? 0 : state.failures + 1;
                state.healthy = "plain".equals(mode) ? good : settings.hysteresis().healthy(state.healthy,
                        state.successes, state.failures, settings.fall(), settings.rise());
            }
        });
    }

    /** The instances calls go to now. */
    public List<Endpoint> eligible() {
        return eligible;
    }

    /** The next instance round robin, other than those in {@code exclude}, if any is eligible. */
    public Optional<Endpoint> choose(Set<String> exclude) {
        List<Endpoint> candidates = eligible.stream().filter(e -> !exclude.contains(e.id())).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size())));
    }

    /** Reports a call's result on {@code endpoint}: failures in a row may eject it. */
    public void report(Endpoint endpoint, boolean success) {
        Outlier outlier = outliers.computeIfAbsent(endpoint.id(), id -> new Outlier());
        boolean ejectNow;
        synchronized (this) {
            long at = nanoClock.getAsLong();
            outlier.consecutiveErrors = success ? 0 : outlier.consecutiveErrors + 1;
            ejectNow = settings.ejection().get() && outlier.consecutiveErrors >= settings.consecutiveErrors()
                    && at - outlier.ejectedUntilNanos >= 0 && ejectedNow(at) < maxEjected();
            if (ejectNow) {
                outlier.ejections++;
                long length = Math.min(settings.baseEjectionTime().toNanos() * outlier.ejections,
                        settings.maxEjectionTime().toNanos());
                outlier.ejectedUntilNanos = at + length;
                outlier.consecutiveErrors = 0;
                Counter.builder(ChainMetricNames.DISCOVERY_EJECTIONS).tag(ChainMetricNames.INSTANCE, endpoint.id())
                        .description("Outlier ejections of an instance by this hop").register(meters).increment();
            }
        }
        if (ejectNow) {
            refresh();
        }
    }

    private long ejectedNow(long at) {
        return outliers.values().stream().filter(o -> at - o.ejectedUntilNanos < 0).count();
    }

    /** The most instances ejected at once: the share of those known, at least one. */
    int maxEjected() {
        return Math.max(1, (int) Math.floor(settings.maxEjectionShare() * known.size()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.failurelab.fault.proxy;

import dev.failurelab.contract.Errors;
import dev.failurelab.fault.FaultInjectorProperties;
import dev.failurelab.contract.FaultMetricNames;
import dev.failurelab.fault.rule.FaultRule;
import dev.failurelab.fault.rule.FaultSpec;
import dev.failurelab.fault.rule.FaultTable;
import dev.failurelab.fault.rule.FaultType;
import dev.failurelab.fault.rule.InvalidInputException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The injector's proxies and their faults: creates and removes proxies (upstreams checked against
 * the allowlist), installs faults with a TTL, and removes each fault when its TTL runs out.
 * Every install and removal is logged on {@code dev.failurelab.fault.events}, one line each.
 *
 * <p>Concurrency: thread-safe. Proxies live in a concurrent sorted map; creation and removal are
 * synchronized so a name and a port are taken once. Expired faults are removed by a one-thread
 * scheduler at their expiry instant; the tables also ignore expired faults on every read.
 */
public final class ProxyRegistry implements AutoCloseable {

    private static final Logger EVENTS = LoggerFactory.getLogger("dev.failurelab.fault.events");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final FaultInjectorProperties properties;
    private final UpstreamAllowlist allowlist;
    private final MeterRegistry registry;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, Registered> proxies = new ConcurrentSkipListMap<>();
    private final AtomicLong faultIds = new AtomicLong();
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fault-expiry");
        thread.setDaemon(true);
        return thread;
    });

    public ProxyRegistry(FaultInjectorProperties properties, MeterRegistry registry, Clock clock) {
        this.properties = properties;
        this.allowlist = new UpstreamAllowlist(properties.allowedUpstreams());
        this.registry = registry;
        this.clock = clock;
    }

    /** The most proxies one injector runs (each holds a port and event loops). */
    public static final int MAX_PROXIES = 32;
    /** The most active faults one proxy holds (each is matched on every request). */
    public static final int MAX_FAULTS_PER_PROXY = 64;

    /** Creates a proxy; fails naming the field if the name, port or upstream is not acceptable. */
    public synchronized HttpFaultProxy create(String name, int listenPort, String upstream) {
        if (proxies.size() >= MAX_PROXIES) {
            throw new InvalidInputException("name", "this injector already runs " + MAX_PROXIES
                    + " proxies, its maximum: delete one first");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "name must be 1-63 lower-case letters, digits or '-'");
        }
        if (proxies.containsKey(name)) {
            throw new InvalidInputException("name", "a proxy named '" + name + "' already exists");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new InvalidInputException("listen", "listen must be a port, 0..65535 (0: any free port)");
        }
        URI target = allowlist.check(upstream, "upstream");
        FaultTable table = new FaultTable(clock, () -> ThreadLocalRandom.current().nextDouble(),
                (rule, reason) -> EVENTS.info("fault removed: proxy={} id={} type={} reason={}",
                        rule.proxy(), rule.id(), rule.spec().type().id(), reason));
        HttpFaultProxy proxy;
        try {
            proxy = new HttpFaultProxy(name, properties.listenAddress(), listenPort, target,
                    properties.upstreamTimeout(), table, registry);
        } catch (RuntimeException e) {
            removeMeters(name); // a proxy that never ran exports nothing
            throw new InvalidInputException("listen", "cannot listen on " + properties.listenAddress() + ":"
                    + listenPort + ": " + Errors.rootMessage(e));
        }
        List<Meter> gauges = new ArrayList<>();
        for (FaultType type : FaultType.values()) {
            gauges.add(Gauge.builder(FaultMetricNames.ACTIVE, table, t -> t.count(type))
                    .description("Installed, unexpired faults")
                    .tag(FaultMetricNames.PROXY, name).tag(FaultMetricNames.TYPE, type.id())
                    .register(registry));
        }
        proxies.put(name, new Registered(proxy, gauges));
        EVENTS.info("proxy created: proxy={} listen={}:{} upstream={}", name, proxy.listenAddress(), proxy.port(),
                target);
        return proxy;
    }

    /** Stops and removes a proxy, clearing its faults. */
    public synchronized boolean remove(String name) {
        Registered registered = proxies.remove(name);
        if (registered == null) {
            return false;
        }
        registered.proxy().clearFaults("proxy removed");
        registered.proxy().close();
        registered.gauges().forEach(registry::remove);
        removeMeters(name);
        EVENTS.info("proxy removed: proxy={}", name);
        return true;
    }

    /** Every meter of the proxy {@code name}: a removed proxy's series are not exported forever. */
    private void removeMeters(String name) {
        for (Meter meter : List.copyOf(registry.getMeters())) {
            if (name.equals(meter.getId().getTag(FaultMetricNames.PROXY)) && meter.getId().getName().startsWith("fault.")) {
                registry.remove(meter);
            }
        }
    }

    public Optional<HttpFaultProxy> find(String name) {
        return Optional.ofNullable(proxies.get(name)).map(Registered::proxy);
    }

    public Collection<HttpFaultProxy> all() {
        return proxies.values().stream().map(Registered::proxy).toList();
    }

    /** Installs a fault on a proxy; it is removed when its TTL runs out. */
    public synchronized FaultRule install(HttpFaultProxy proxy, FaultSpec spec) {
        if (proxy.faults().active().size() >= MAX_FAULTS_PER_PROXY) {
            throw new InvalidInputException("proxy", "proxy '" + proxy.name() + "' already holds "
                    + MAX_FAULTS_PER_PROXY + " active faults, its maximum: clear some first");
        }
        Instant now = clock.instant();
        FaultRule rule = new FaultRule("f" + faultIds.incrementAndGet(), proxy.name(), spec, now,
                now.plus(spec.ttl()));
        proxy.faults().add(rule);
        expiry.schedule(() -> proxy.faults().sweep(), spec.ttl().toMillis() + 1, TimeUnit.MILLISECONDS);
        EVENTS.info("fault injected: proxy={} id={} type={} probability={} ttl={}s spec={}", rule.proxy(),
                rule.id(), spec.type().id(), spec.probability(), spec.ttl().toMillis() / 1000.0, spec);
        return rule;
    }

    /** The proxy that holds fault {@code id}, if any. */
    public Optional<HttpFaultProxy> holderOf(String id) {
        return all().stream().filter(p -> p.faults().active().stream().anyMatch(r -> r.id().equals(id)))
                .findFirst();
    }

    /** Clears every fault of every proxy; returns how many were cleared. */
    public int clearAll(String reason) {
        int cleared = 0;
        for (HttpFaultProxy proxy : all()) {
            cleared += proxy.clearFaults(reason);
        }
        EVENTS.info("faults cleared: count={} reason={}", cleared, reason);
        return cleared;
    }

    /** Clears every fault and stops every proxy. */
    @Override
    public synchronized void close() {
        clearAll("shutdown");
        for (String name : List.copyOf(proxies.keySet())) {
            remove(name);
        }
        expiry.shutdownNow();
    }

    private record Registered(HttpFaultProxy proxy, List<Meter> gauges) {
    }
}

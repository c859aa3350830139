package dev.failurelab.fault.dns;

import dev.failurelab.contract.FaultMetricNames;
import dev.failurelab.fault.rule.InvalidInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's DNS: a primary server and, if configured, a fallback server of the same zone, and the
 * DNS faults, each with a TTL, each on the primary, the fallback or both. Every install and removal
 * is logged on {@code dev.failurelab.fault.events}, like the proxies' faults.
 *
 * <p>Concurrency: thread-safe. Faults live in a copy-on-write list read on every query; expired
 * faults are removed by a one-thread scheduler at their expiry and ignored on every read.
 */
public final class DnsService implements AutoCloseable {

    /** The most active DNS faults at once. */
    public static final int MAX_FAULTS = 64;
    /** The longest delay of a slow answer. */
    public static final long MAX_DELAY_MS = 60_000;
    /** The server roles. */
    public static final String PRIMARY = "primary";
    public static final String FALLBACK = "fallback";

    private static final Logger EVENTS = LoggerFactory.getLogger("dev.failurelab.fault.events");

    /** How a query ended, as the meter's {@code outcome} tag says it. */
    public enum Outcome {
        ANSWERED, NODATA, NXDOMAIN, SERVFAIL, DROPPED, REFUSED, FORMERR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final DnsZone zone;
    private final Clock clock;
    private final EventLoopGroup loops;
    private final List<DnsServer> servers = new ArrayList<>();
    private final List<DnsFault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Map<Outcome, Counter>> queries = new HashMap<>();
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dns-fault-expiry");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Starts the servers.
     *
     * @param fallbackPort the fallback server's port, or null for none
     */
    public DnsService(DnsZone zone, String listenAddress, int primaryPort, Integer fallbackPort, MeterRegistry registry,
            Clock clock) {
        this.zone = zone;
        this.clock = clock;
        this.loops = new MultiThreadIoEventLoopGroup(1,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<String> roles = fallbackPort == null ? List.of(PRIMARY) : List.of(PRIMARY, FALLBACK);
        for (String role : roles) {
            Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                counters.put(outcome, Counter.builder(FaultMetricNames.DNS_QUERIES)
                        .description("Queries to the lab's DNS servers, by how they ended")
                        .tag(FaultMetricNames.SERVER, role).tag(FaultMetricNames.OUTCOME, outcome.tag())
                        .register(registry));
            }
            queries.put(role, counters);
        }
        for (DnsFaultType type : DnsFaultType.values()) {
            Gauge.builder(FaultMetricNames.DNS_ACTIVE, this, s -> s.active().stream().filter(f -> f.type() == type).count())
                    .description("Installed, unexpired DNS faults")
                    .tag(FaultMetricNames.TYPE, type.id()).register(registry);
        }
        try {
            servers.add(new DnsServer(PRIMARY, listenAddress, primaryPort, zone, this, loops));
            if (fallbackPort != null) {
                servers.add(new DnsServer(FALLBACK, listenAddress, fallbackPort, zone, this, loops));
            }
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot start the DNS server on " + listenAddress + " (UDP and TCP): "
                    + dev.failurelab.contract.Errors.rootMessage(e), e);
        }
        servers.forEach(s -> EVENTS.info("dns server started: role={} listen={}:{} zone={}", s.role(), s.address(),
                s.port(), zone.name()));
    }

    public DnsZone zone() {
        return zone;
    }

    /** The port of the server in {@code role}, if it runs. */
    public java.util.OptionalInt port(String role) {
        return servers.stream().filter(s -> s.role().equals(role)).mapToInt(DnsServer::port).findFirst();
    }

    /** The running servers' roles to ports. */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        servers.forEach(s -> ports.put(s.role(), s.port()));
        return ports;
    }

    /**
     * Installs a fault; it is removed when its TTL runs out.
     *
     * @param server  primary, fallback or all
     * @param label   a short name of the zone (null: every name)
     * @param delayMs slow: the delay
     * @param address wrong-address: the address to answer
     */
    public DnsFault install(DnsFaultType type, String server, String label, long delayMs, InetAddress address,
            Duration ttl) {
        synchronized (faults) {
            sweep();
            if (faults.size() >= MAX_FAULTS) {
                throw new InvalidInputException("type", "the DNS server already holds " + MAX_FAULTS
                        + " active faults, its maximum: clear some first");
            }
            Instant now = clock.instant();
            DnsFault fault = new DnsFault("d" + ids.incrementAndGet(), type, server,
                    label == null ? null : zone.fqdn(label), delayMs, address, now, now.plus(ttl));
            faults.add(fault);
            expiry.schedule(this::sweep, ttl.toMillis() + 1, TimeUnit.MILLISECONDS);
            EVENTS.info("dns fault injected: id={} type={} server={} name={} ttl={}s", fault.id(), type.id(), server,
                    fault.name() == null ? "*" : fault.name(), ttl.toMillis() / 1000.0);
            return fault;
        }
    }

    /** Removes fault {@code id}; false if there is no such active fault. */
    public boolean remove(String id, String reason) {
        for (DnsFault fault : faults) {
            if (fault.id().equals(id) && faults.remove(fault)) {
                log(fault, reason);
                return !fault.isExpired(clock.instant());
            }
        }
        return false;
    }

    /** Clears every fault; returns how many were active. */
    public int clear(String reason) {
        int cleared = 0;
        for (DnsFault fault : List.copyOf(faults)) {
            if (faults.remove(fault)) {
                log(fault, reason);
                cleared += fault.isExpired(clock.instant()) ? 0 : 1;
            }
        }
        return cleared;
    }

    /** The active faults, oldest first. */
    public List<DnsFault> active() {
        Instant now = clock.instant();
        return faults.stream().filter(f -> !f.isExpired(now)).toList();
    }

    private void sweep() {
        Instant now = clock.instant();
        for (DnsFault fault : faults) {
            if (fault.isExpired(now) && faults.remove(fault)) {
                log(fault, "expired");
            }
        }
    }

    private static void log(DnsFault fault, String reason) {
        EVENTS.info("dns fault removed: id={} type={} reason={}", fault.id(), fault.type().id(), reason);
    }

    /** The plan for a query to {@code role} for {@code name}: what the active faults make of it. */
    DnsAnswerPlan plan(String role, String name) {
        Instant now = clock.instant();
        List<DnsFault> matching = faults.stream().filter(f -> !f.isExpired(now) && f.matches(role, name)).toList();
        return DnsAnswerPlan.of(matching);
    }

    void count(String role, Outcome outcome) {
        queries.get(role).get(outcome).increment();
    }

    @Override
    public void close() {
        clear("shutdown");
        servers.forEach(DnsServer::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        expiry.shutdownNow();
    }
}

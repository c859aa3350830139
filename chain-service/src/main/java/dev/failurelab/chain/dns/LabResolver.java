package dev.failurelab.chain.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.xbill.DNS.Rcode;

/**
 * A hop's own name resolution, the layer the JDK gives a Java 17 build no hook for: a cache of
 * answers (their TTL, or a fixed cache TTL as {@code networkaddress.cache.ttl} sets one), a
 * negative cache of failures ({@code networkaddress.cache.negative.ttl}), one query in flight per
 * name, a resolver timeout and a fallback server, and serve-stale (RFC 8767): an expired answer
 * served when no fresh one can be had, with the RFC's client response timer or a background refresh.
 *
 * <p>Only new connections resolve: a pooled connection never asks (see {@code PooledTransport}).
 *
 * <p>Concurrency: thread-safe. The cache is a concurrent map of immutable entries; settings and
 * modes are volatile and apply from the next lookup; queries run on {@code executor}, at most one
 * per name, and the callers that need the answer wait for it.
 */
public final class LabResolver {

    /** How one lookup ended, as the meter's {@code outcome} tag says it. */
    public enum Lookup {
        /** A fresh cached answer. */
        HIT,
        /** A server answered. */
        RESOLVED,
        /** An expired answer, served stale. */
        STALE,
        /** A cached failure (the negative cache). */
        NEGATIVE,
        /** No such name, or no address for it. */
        NXDOMAIN,
        SERVFAIL,
        /** No server answered within the resolver timeout. */
        TIMEOUT,
        /** Any other failure (a refused query, a network error). */
        ERROR;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How serve-stale behaves ({@code chain.dns.serve-stale}). */
    public enum StaleMode {
        /** Never: an expired answer is gone. */
        OFF,
        /** RFC 8767: refresh, and serve the expired answer if none came within the client response timer. */
        ON,
        /** Serve the expired answer at once and refresh it in the background. */
        REFRESH;

        public static StaleMode of(String option) {
            return valueOf(option.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The resolver's settings, all live.
     *
     * @param cacheTtl         how long an answer is kept; zero: the record's own TTL
     * @param negativeTtl      how long a failure is kept (zero: not at all)
     * @param timeout          the resolver timeout, per server asked
     * @param staleTtl         how long past its expiry an answer may still be served stale
     * @param staleAnswerTimer serve-stale on: how long a lookup waits for a fresh answer (RFC 8767: 1.8 s)
     * @param staleRecheck     after a failed refresh, how long stale answers are served without asking again
     *                         (RFC 8767's failure recheck timer, 30 s)
     */
    public record Settings(Duration cacheTtl, Duration negativeTtl, Duration timeout, Duration staleTtl,
            Duration staleAnswerTimer, Duration staleRecheck) {
    }

    /** What the resolver reports (the meters' adapter). */
    public interface Listener {
        /** One lookup (a new connection's) ended this way. */
        void lookup(Lookup outcome);

        /** One query to {@code server} (primary or fallback) ended this way after {@code nanos}. */
        void query(String server, Lookup outcome, long nanos);
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final DnsWire wire;
    private final InetSocketAddress primary;
    private final InetSocketAddress fallback;
    private final Executor executor;
    private final LongSupplier nanoTime;
    private final Listener listener;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Result>> inFlight = new ConcurrentHashMap<>();
    /**
     * Each name's last good answer, kept until its stale TTL whatever the serve-stale mode, as BIND
     * keeps expired records for {@code max-stale-ttl}: serve-stale switched on in the middle of an
     * outage ({@code rndc serve-stale on}) has them to serve, though the negative cache took over.
     */
    private final Map<String, Entry> lastGood = new java.util.concurrent.ConcurrentHashMap<>();
    /** When the last refresh of a name failed while its stale answer was kept (nano time). */
    private final Map<String, Long> failedRefresh = new ConcurrentHashMap<>();
    private final StalePolicy policy;
    private final java.util.function.Supplier<StaleMode> staleMode;
    private final java.util.function.BooleanSupplier fallbackOn;
    private volatile Settings settings;

    /**
     * @param primary  the DNS server asked first
     * @param fallback   the server asked when the primary fails and the fallback is on (null: none)
     * @param staleMode  the serve-stale mode in force (read on every lookup)
     * @param fallbackOn whether the fallback is on (read on every query)
     * @param policy     serve-stale's decision under {@link StaleMode#REFRESH}
     */
    public LabResolver(DnsWire wire, InetSocketAddress primary, InetSocketAddress fallback, Settings settings,
            java.util.function.Supplier<StaleMode> staleMode, java.util.function.BooleanSupplier fallbackOn,
            StalePolicy policy, Executor executor, LongSupplier nanoTime, Listener listener) {
        this.policy = policy;
        this.staleMode = staleMode;
        this.fallbackOn = fallbackOn;
        this.wire = wire;
        this.primary = primary;
        this.fallback = fallback;
        this.settings = settings;
        this.executor = executor;
        this.nanoTime = nanoTime;
        this.listener = listener;
    }

    public Settings settings() {
        return settings;
    }

    public void settings(Settings settings) {
        this.settings = settings;
    }

    /**
     * Resolves {@code host}: an address literal as it is; a name from the cache, else from the servers.
     *
     * @throws UnknownHostException when no address can be had (the message says why)
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
            return new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup
        }
        String name = host.toLowerCase(Locale.ROOT);
        long now = nanoTime.getAsLong();
        Entry entry = cache.get(name);
        StaleMode mode = staleMode.get();
        if (entry != null && now - entry.freshUntil < 0) {
            if (entry.addresses != null) {
                listener.lookup(Lookup.HIT);
                return entry.array();
            }
            // A cached failure; switched on mid-outage, serve-stale still has the last good answer.
            Entry good = mode == StaleMode.OFF ? null : lastGood.get(name);
            if (good == null || now - good.staleUntil >= 0) {
                listener.lookup(Lookup.NEGATIVE);
                throw new UnknownHostException(name + ": " + entry.failure + " (cached failure)");
            }
        }
        if (mode != StaleMode.OFF && (entry == null || entry.addresses == null)) {
            entry = lastGood.get(name);
        }
        if (mode == StaleMode.ON && entry != null && entry.addresses != null && now - entry.staleUntil < 0) {
            return serveStaleOn(name, entry, now);
        }
        if (mode == StaleMode.REFRESH && entry != null && entry.addresses != null) {
            Settings s = settings;
            Long failedAt = failedRefresh.get(name);
            StalePolicy.Decision decision = policy.decide(Duration.ofNanos(now - entry.freshUntil), s.staleTtl(),
                    failedAt == null ? null : Duration.ofNanos(now - failedAt), s.staleRecheck());
            if (decision == StalePolicy.Decision.STALE_AND_REFRESH) {
                query(name);
            }
            if (decision != StalePolicy.Decision.QUERY) {
                listener.lookup(Lookup.STALE);
                return entry.array();
            }
        }
        Result result = await(query(name));
        if (result.addresses != null) {
            listener.lookup(Lookup.RESOLVED);
            return result.addresses.toArray(InetAddress[]::new);
        }
        listener.lookup(result.outcome);
        throw new UnknownHostException(name + ": " + result.failure);
    }

    /** RFC 8767 as written: refresh, and serve the expired answer if no fresh one came within the client response timer. */
    private InetAddress[] serveStaleOn(String name, Entry entry, long now) {
        Long failedAt = failedRefresh.get(name);
        if (failedAt == null || now - failedAt >= settings.staleRecheck().toNanos()) {
            CompletableFuture<Result> refresh = query(name);
            try {
                Result result = refresh.get(settings.staleAnswerTimer().toNanos(), TimeUnit.NANOSECONDS);
                if (result.addresses != null) {
                    listener.lookup(Lookup.RESOLVED);
                    return result.addresses.toArray(InetAddress[]::new);
                }
            } catch (TimeoutException e) {
                // the client response timer ran out: the refresh goes on, the stale answer is served
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // never: a query completes with a Result
            }
        }
        listener.lookup(Lookup.STALE);
        return entry.array();
    }

    private Result await(CompletableFuture<Result> future) {
        Settings s = settings;
        // The wire bounds each server's query by the timeout: twice it (primary, fallback) and a margin.
        long bound = s.timeout().toNanos() * 2 + TimeUnit.SECONDS.toNanos(1);
        try {
            return future.get(bound, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Result.failed(Lookup.TIMEOUT, "no answer within " + s.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(Lookup.ERROR, "interrupted");
        } catch (ExecutionException e) {
            return Result.failed(Lookup.ERROR, String.valueOf(e.getCause()));
        }
    }

    /** The query of {@code name} in flight, or a new one: at most one per name. */
    private CompletableFuture<Result> query(String name) {
        CompletableFuture<Result> mine = new CompletableFuture<>();
        CompletableFuture<Result> running = inFlight.putIfAbsent(name, mine);
        if (running != null) {
            return running;
        }
        try {
            executor.execute(() -> {
                Result result;
                try {
                    result = ask(name);
                } catch (RuntimeException e) {
                    result = Result.failed(Lookup.ERROR, e.toString());
                }
                store(name, result);
                inFlight.remove(name, mine);
                mine.complete(result);
            });
        } catch (RuntimeException e) {
            inFlight.remove(name, mine);
            mine.complete(Result.failed(Lookup.ERROR, "cannot start a query: " + e));
        }
        return mine;
    }

    /** Asks the primary; if it fails (but for a name it says does not exist) and the fallback is on, the fallback. */
    private Result ask(String name) {
        Result result = ask("primary", primary, name);
        if (result.addresses == null && result.outcome != Lookup.NXDOMAIN && fallback != null && fallbackOn.getAsBoolean()) {
            result = ask("fallback", fallback, name);
        }
        return result;
    }

    private Result ask(String role, InetSocketAddress server, String name) {
        long start = nanoTime.getAsLong();
        Result result;
        try {
            DnsWire.Answer answer = wire.query(name, server, settings.timeout());
            result = switch (answer.rcode()) {
                case Rcode.NOERROR -> answer.addresses().isEmpty()
                        ? Result.failed(Lookup.NXDOMAIN, "no address (NOERROR, no data) from " + show(server))
                        : Result.resolved(answer.addresses(), answer.ttlSeconds());
                case Rcode.NXDOMAIN -> Result.failed(Lookup.NXDOMAIN, "NXDOMAIN from " + show(server));
                case Rcode.SERVFAIL -> Result.failed(Lookup.SERVFAIL, "SERVFAIL from " + show(server));
                default -> Result.failed(Lookup.ERROR, Rcode.string(answer.rcode()) + " from " + show(server));
            };
        } catch (IOException e) {
            boolean timedOut = dev.failurelab.contract.Errors.isTimeout(e);
            result = Result.failed(timedOut ? Lookup.TIMEOUT : Lookup.ERROR, (timedOut ? "no answer within "
                    + settings.timeout().toMillis() + " ms from " : e.getMessage() + " from ") + show(server));
        }
        listener.query(role, result.addresses != null ? Lookup.RESOLVED : result.outcome,
                nanoTime.getAsLong() - start);
        return result;
    }

    private void store(String name, Result result) {
        Settings s = settings;
        long now = nanoTime.getAsLong();
        if (result.addresses != null) {
            long lifetime = s.cacheTtl().isZero() ? TimeUnit.SECONDS.toNanos(result.ttlSeconds) : s.cacheTtl().toNanos();
            Entry answer = new Entry(result.addresses, null, now + lifetime, now + lifetime + s.staleTtl().toNanos());
            cache.put(name, answer);
            lastGood.put(name, answer);
            failedRefresh.remove(name);
            return;
        }
        Entry current = cache.get(name);
        if (staleMode.get() != StaleMode.OFF && current != null && current.addresses != null && now - current.staleUntil < 0) {
            // Serve-stale keeps the old answer (until its stale TTL); the policy decides when to ask again.
            failedRefresh.put(name, now);
            return;
        }
        if (s.negativeTtl().isZero()) {
            cache.remove(name);
        } else {
            long until = now + s.negativeTtl().toNanos();
            cache.put(name, new Entry(null, result.failure, until, until));
        }
    }

    /** Forgets every cached answer and failure (a test's or an operator's flush). */
    public void flush() {
        cache.clear();
        lastGood.clear();
        failedRefresh.clear();
    }

    private static String show(InetSocketAddress server) {
        return server.getHostString() + ":" + server.getPort();
    }

    /** A cached answer (addresses) or failure (addresses null), fresh until, servable stale until (nano times). */
    private record Entry(List<InetAddress> addresses, String failure, long freshUntil, long staleUntil) {
        InetAddress[] array() {
            return addresses.toArray(InetAddress[]::new);
        }
    }

    /** A query's result: addresses and their TTL, or a failure. */
    private record Result(List<InetAddress> addresses, long ttlSeconds, Lookup outcome, String failure) {
        static Result resolved(List<InetAddress> addresses, long ttlSeconds) {
            return new Result(List.copyOf(addresses), ttlSeconds, Lookup.RESOLVED, null);
        }

        static Result failed(Lookup outcome, String failure) {
            return new Result(null, 0, outcome, failure);
        }
    }
}

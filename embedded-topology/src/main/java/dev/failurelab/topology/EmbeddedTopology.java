package dev.failurelab.topology;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.fault.FaultInjectorApplication;
import dev.failurelab.fault.proxy.ProxyRegistry;
import dev.failurelab.lab.infra.ResolvedServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole chain in one JVM — edge, middle and bottom chain services and the fault injector with
 * its two proxies — on the ports of {@link TopologyPorts}:
 *
 * <pre>edge → proxy "middle" → middle → proxy "bottom" → bottom</pre>
 *
 * With {@link Builder#cache}, the bottom and a second replica of it serve the hot key
 * ({@code GET /api/top-products}) from one Redis and one PostgreSQL.
 *
 * Closing it clears every fault first, then stops the apps (and the servers it was given), so no
 * fault outlives the topology.
 *
 * <p>Concurrency: start and close from one thread; the running apps are thread-safe.
 */
public final class EmbeddedTopology implements AutoCloseable {

    /** The apps of the topology, as named in {@link Builder#property}. */
    public enum App {
        EDGE, MIDDLE, BOTTOM, REPLICA, INJECTOR
    }

    private final TopologyPorts ports;
    private final Map<App, ConfigurableApplicationContext> contexts;
    private final List<ResolvedServer> servers;

    private EmbeddedTopology(TopologyPorts ports, Map<App, ConfigurableApplicationContext> contexts,
            List<ResolvedServer> servers) {
        this.ports = ports;
        this.contexts = contexts;
        this.servers = servers;
    }

    public static Builder builder() {
        return new Builder();
    }

    public TopologyPorts ports() {
        return ports;
    }

    public URI edgeUrl() {
        return url(ports.edge());
    }

    public URI controlUrl() {
        return url(ports.control());
    }

    /** The base URL of an app's actuator-enabled HTTP server. */
    public URI url(App app) {
        return switch (app) {
            case EDGE -> url(ports.edge());
            case MIDDLE -> url(ports.middle());
            case BOTTOM -> url(ports.bottom());
            case REPLICA -> url(ports.replica());
            case INJECTOR -> url(ports.control());
        };
    }

    private static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The injector's proxies, for callers in this JVM (scripts use the control API). */
    public ProxyRegistry proxies() {
        return contexts.get(App.INJECTOR).getBean(ProxyRegistry.class);
    }

    /** Whether the bottom and its replica serve the hot key. */
    public boolean hasCache() {
        return contexts.containsKey(App.REPLICA);
    }

    /** The apps serving the hot key (the bottom and its replica), or none without a cache. */
    public List<URI> cacheOwners() {
        return hasCache() ? List.of(url(App.BOTTOM), url(App.REPLICA)) : List.of();
    }

    /** Every URL a user may want, in the order of the chain. */
    public Map<String, URI> urls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        urls.put("edge          GET /api/chain", edgeUrl().resolve("/api/chain"));
        urls.put("proxy middle  (fault proxy)", url(ports.middleProxy()));
        urls.put("middle", url(ports.middle()));
        urls.put("proxy bottom  (fault proxy)", url(ports.bottomProxy()));
        urls.put("bottom", url(ports.bottom()));
        if (hasCache()) {
            urls.put("hot key       bottom", url(App.BOTTOM).resolve("/api/top-products"));
            urls.put("hot key       replica", url(App.REPLICA).resolve("/api/top-products"));
        }
        urls.put("fault control API", controlUrl().resolve("/proxies"));
        for (App app : contexts.keySet()) {
            urls.put("metrics " + app.name().toLowerCase(java.util.Locale.ROOT), url(app).resolve("/actuator/prometheus"));
        }
        return urls;
    }

    /** One line per server the cache uses, saying where it came from. */
    public List<String> servers() {
        return servers.stream().map(ResolvedServer::describe).toList();
    }

    /** Clears every fault, then stops the apps in reverse start order. */
    @Override
    public void close() {
        ConfigurableApplicationContext injector = contexts.get(App.INJECTOR);
        if (injector != null && injector.isActive()) {
            injector.getBean(ProxyRegistry.class).clearAll("topology stopped");
        }
        List<App> order = new ArrayList<>(contexts.keySet());
        java.util.Collections.reverse(order);
        for (App app : order) {
            contexts.get(app).close();
        }
        for (ResolvedServer server : servers) {
            server.close();
        }
    }

    /** Configures and starts a topology. */
    public static final class Builder {

        /** The accept backlog of the apps serving the hot key, unless set otherwise. */
        static final int HOT_KEY_ACCEPT_COUNT = 1024;

        private TopologyPorts ports = TopologyPorts.defaults();
        private final Map<App, Map<String, Object>> properties = new LinkedHashMap<>();
        private ResolvedServer redis;
        private ResolvedServer postgres;

        private Builder() {
            for (App app : App.values()) {
                properties.put(app, new LinkedHashMap<>());
            }
        }

        public Builder ports(TopologyPorts ports) {
            this.ports = ports;
            return this;
        }

        /** Sets a property of one app, over its defaults (e.g. the bottom's capacity). */
        public Builder property(App app, String key, Object value) {
            properties.get(app).put(key, value);
            return this;
        }

        /**
         * Applies a lab's topology settings: every {@code topology.<app>.<property>} key of its
         * defaults file (e.g. {@code topology.bottom.chain.capacity.queue-capacity}). The replica
         * is a copy of the bottom: it takes the bottom's settings, then its own.
         */
        public Builder labSettings(dev.failurelab.lab.experiment.LabDefaults settings) {
            for (App app : App.values()) {
                if (app == App.REPLICA) {
                    settings.withPrefix("topology.bottom.").forEach((key, value) -> property(app, key, value));
                }
                settings.withPrefix("topology." + app.name().toLowerCase(java.util.Locale.ROOT) + ".")
                        .forEach((key, value) -> property(app, key, value));
            }
            return this;
        }

        /**
         * Serves the hot key from the bottom and a second replica of it, sharing {@code redis} and
         * {@code postgres}; the topology stops them (if it was they that started them) when it closes.
         */
        public Builder cache(ResolvedServer redis, ResolvedServer postgres) {
            this.redis = redis;
            this.postgres = postgres;
            return this;
        }

        /**
         * Starts bottom (and its replica, with a cache), middle, injector and edge; stops what
         * started if any fails.
         */
        public EmbeddedTopology start() {
            Map<App, ConfigurableApplicationContext> started = new LinkedHashMap<>();
            List<ResolvedServer> servers = redis == null ? List.of() : List.of(redis, postgres);
            if (redis != null) {
                for (App owner : List.of(App.BOTTOM, App.REPLICA)) {
                    // The hot key takes bursts of new connections: with Tomcat's backlog of 100 the
                    // kernel drops the SYNs past it and each costs its client a 1 s retransmit.
                    properties.get(owner).putIfAbsent("server.tomcat.accept-count", HOT_KEY_ACCEPT_COUNT);
                }
            }
            try {
                started.put(App.BOTTOM, startChain(App.BOTTOM, "bottom", ports.bottom(), null));
                if (redis != null) {
                    started.put(App.REPLICA, startChain(App.REPLICA, "bottom", ports.replica(), null));
                }
                started.put(App.MIDDLE, startChain(App.MIDDLE, "middle", ports.middle(), ports.bottomProxy()));
                started.put(App.INJECTOR, startInjector());
                started.put(App.EDGE, startChain(App.EDGE, "edge", ports.edge(), ports.middleProxy()));
            } catch (RuntimeException e) {
                new EmbeddedTopology(ports, started, servers).close();
                throw e;
            }
            return new EmbeddedTopology(ports, started, servers);
        }

        private ConfigurableApplicationContext startChain(App app, String role, int port, Integer downstreamPort) {
            List<String> args = new ArrayList<>(common());
            args.add("--server.port=" + port);
            args.add("--server.address=127.0.0.1");
            args.add("--chain.role=" + role);
            if (downstreamPort != null) {
                args.add("--chain.downstream-url=http://127.0.0.1:" + downstreamPort);
            }
            if (redis != null && (app == App.BOTTOM || app == App.REPLICA)) {
                args.add("--chain.cache.enabled=true");
                args.add("--chain.cache.redis.url=" + redis.url());
                args.add("--chain.cache.postgres.url=" + postgres.url());
                args.add("--chain.cache.postgres.user=" + postgres.user());
                args.add("--chain.cache.postgres.password=" + postgres.password());
            }
            return run(ChainServiceApplication.builder().registerShutdownHook(false), app, args);
        }

        private ConfigurableApplicationContext startInjector() {
            List<String> args = new ArrayList<>(common());
            args.add("--server.port=" + ports.control());
            args.add("--fault-injector.allowed-upstreams[0]=127.0.0.1:" + ports.middle());
            args.add("--fault-injector.allowed-upstreams[1]=127.0.0.1:" + ports.bottom());
            args.add("--fault-injector.allowed-upstreams[2]=localhost:" + ports.middle());
            args.add("--fault-injector.allowed-upstreams[3]=localhost:" + ports.bottom());
            args.add("--fault-injector.proxies[0].name=middle");
            args.add("--fault-injector.proxies[0].listen=" + ports.middleProxy());
            args.add("--fault-injector.proxies[0].upstream=http://127.0.0.1:" + ports.middle());
            args.add("--fault-injector.proxies[1].name=bottom");
            args.add("--fault-injector.proxies[1].listen=" + ports.bottomProxy());
            args.add("--fault-injector.proxies[1].upstream=http://127.0.0.1:" + ports.bottom());
            return run(FaultInjectorApplication.builder().registerShutdownHook(false), App.INJECTOR, args);
        }

        private static List<String> common() {
            // One JVM, four apps: keep the console to warnings and the lab's own events.
            return List.of("--logging.level.root=warn", "--logging.level.dev.failurelab=info",
                    "--logging.include-application-name=false",
                    "--spring.main.log-startup-info=false");
        }

        private ConfigurableApplicationContext run(org.springframework.boot.builder.SpringApplicationBuilder builder,
                App app, List<String> args) {
            List<String> all = new ArrayList<>(args);
            properties.get(app).forEach((key, value) -> all.add("--" + key + "=" + value));
            return builder.run(all.toArray(String[]::new));
        }
    }
}

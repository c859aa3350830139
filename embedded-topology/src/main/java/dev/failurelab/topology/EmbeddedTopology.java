package dev.failurelab.topology;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.fault.proxy.ProxyRegistry;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.infra.ResolvedServer;
import dev.failurelab.lab.infra.RunRecord;
import dev.failurelab.lab.infra.ServerProvider;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Endpoints;
import dev.failurelab.lab.topology.ServerSpec;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link Topology} running in this JVM: its servers resolved (environment, or embedded on free
 * ports), then each app's instances started by the {@link AppLauncher} of its kind, every app
 * after the app it calls, all on loopback. Nothing here knows the chain's shape: the topology's
 * data does.
 *
 * <p>Closing it clears every fault first, then stops the apps in reverse start order, then the
 * servers it started, so no fault outlives the topology.
 *
 * <p>Concurrency: start and close from one thread; the running apps are thread-safe.
 */
public final class EmbeddedTopology implements AutoCloseable {

    /** Where the apps listen unless told otherwise ({@link Builder#bind}). */
    public static final String LOOPBACK = "127.0.0.1";

    private final Topology topology;
    private final Map<String, AppLauncher.RunningApp> apps;
    private final List<ResolvedServer> servers;

    private EmbeddedTopology(Topology topology, Map<String, AppLauncher.RunningApp> apps, List<ResolvedServer> servers) {
        this.topology = topology;
        this.apps = apps;
        this.servers = servers;
    }

    /** A builder for {@code topology} (its ports as given: {@link Topology#withFreePorts()} for tests). */
    public static Builder builder(Topology topology) {
        return new Builder(topology);
    }

    public Topology topology() {
        return topology;
    }

    /** Where every app answers (loopback). */
    public Endpoints endpoints() {
        return topology.endpoints("127.0.0.1");
    }

    /** The base URL of {@code app} (its first instance). */
    public URI url(String app) {
        return endpoints().url(app);
    }

    /** The base URL of {@code app}'s actuator and admin API (its first instance's management port). */
    public URI management(String app) {
        return endpoints().management(app);
    }

    /** The fault injector's control API. */
    public URI controlUrl() {
        return endpoints().control();
    }

    /** The injector's proxies, for callers in this JVM (scripts use the control API). */
    public ProxyRegistry proxies() {
        AppSpec injector = topology.injector().orElseThrow(() -> new IllegalStateException("no fault injector"));
        return apps.get(injector.instanceNames().get(0)).bean(ProxyRegistry.class);
    }

    /** Every URL a user may want, in the topology's order: each app, what it serves, its metrics. */
    public Map<String, URI> urls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        Endpoints endpoints = endpoints();
        for (AppSpec app : topology.apps()) {
            if (app.proxyPort() != null) {
                urls.put("proxy " + app.name() + " (fault proxy)", endpoints.proxy(app.name()));
            }
            List<URI> instances = endpoints.urls(app.name());
            for (int i = 0; i < instances.size(); i++) {
                String name = app.instanceNames().get(i);
                URI base = instances.get(i);
                URI management = endpoints.managements(app.name()).get(i);
                if (app.kind().equals("chain") && "router".equals(app.role())) {
                    urls.put(name + " (router)  GET /api/kv/{key}, GET|POST /api/counter/{key}", base);
                } else if (app.kind().equals("chain") && "registry".equals(app.role())) {
                    // Eureka: its REST API (JSON with Accept: application/json) and its dashboard.
                    urls.put(name + " (Eureka registry)  GET /eureka/apps, dashboard /", base.resolve("/eureka/apps"));
                } else if (app.kind().equals("chain") && "store".equals(app.role())) {
                    // A node of the split-brain lab's store: its status; writes and reads on the same port.
                    urls.put(name + " (store node)  POST /store/writes, GET /store/registers/{key}, GET /store/status",
                            base.resolve("/store/status"));
                } else if (app.kind().equals("chain")) {
                    urls.put(name + " (" + app.role() + ")  GET /api/chain", base.resolve(AdminPaths.CHAIN));
                    if (!app.uses().isEmpty()) {
                        urls.put(name + " hot key  GET /api/top-products", base.resolve(AdminPaths.HOT_KEY));
                    }
                } else if (app.kind().equals(Topology.INJECTOR_KIND)) {
                    urls.put(name + " control API", base.resolve("/proxies"));
                    if (app.properties().containsKey("fault-injector.dns.port")) {
                        // The lab's DNS servers (UDP and TCP): their ports, zone, records and faults.
                        urls.put(name + " DNS servers  /dns", base.resolve("/dns"));
                    }
                } else {
                    urls.put(name + " (" + app.kind() + ")", base);
                }
                if (!app.managementPorts().isEmpty() && "store".equals(app.role())) {
                    urls.put(name + " admin API  /admin/leadership, /admin/fencing, /admin/network-partition, /admin/pause",
                            management.resolve("/admin/leadership"));
                } else if (!app.managementPorts().isEmpty()) {
                    urls.put(name + " admin API  /admin/settings", management.resolve(AdminPaths.SETTINGS));
                }
                urls.put(name + " metrics", management.resolve(AdminPaths.PROMETHEUS));
            }
        }
        return urls;
    }

    /** One line per server, saying where it came from. */
    public List<String> servers() {
        return servers.stream().map(ResolvedServer::describe).toList();
    }

    /** Clears every fault, then stops the apps in reverse start order, then the servers. */
    @Override
    public void close() {
        if (topology.injector().isPresent() && apps.containsKey(topology.injector().get().instanceNames().get(0))) {
            try {
                proxies().clearAll("topology stopped");
            } catch (RuntimeException ignored) {
                // the injector is already closed: its proxies are gone with it
            }
        }
        List<String> order = new ArrayList<>(apps.keySet());
        Collections.reverse(order);
        for (String instance : order) {
            apps.get(instance).close();
        }
        for (ResolvedServer server : servers) {
            server.close();
        }
    }

    /** Configures and starts a topology. */
    public static final class Builder {

        private final Topology topology;
        private final Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        private LabDefaults labSettings;
        private boolean forTests;
        private Map<String, String> env = System.getenv();
        private String bind = LOOPBACK;

        private Builder(Topology topology) {
            this.topology = topology;
        }

        /** Sets a property of one app (every instance), over the lab's settings. */
        public Builder property(String app, String key, Object value) {
            if (!topology.has(app)) {
                throw new IllegalArgumentException("unknown app '" + app + "'; the topology has "
                        + topology.apps().stream().map(AppSpec::name).toList());
            }
            properties.computeIfAbsent(app, a -> new TreeMap<>()).put(key, String.valueOf(value));
            return this;
        }

        /**
         * Applies a lab's topology settings: every {@code topology.<app>.<property>} key of its
         * defaults file (e.g. {@code topology.bottom.chain.capacity.queue-capacity}). An app
         * {@code like} another takes that app's settings first, then its own.
         */
        public Builder labSettings(LabDefaults settings) {
            this.labSettings = settings;
            return this;
        }

        /** Servers are resolved as tests resolve them (a container if Docker answers, else embedded). */
        public Builder forTests() {
            this.forTests = true;
            return this;
        }

        /**
         * The address every app's ports listen on (default {@code 127.0.0.1}): {@code 0.0.0.0} in a
         * container whose ports others reach (a pod). The apps still call one another on loopback.
         */
        public Builder bind(String address) {
            this.bind = java.util.Objects.requireNonNull(address);
            return this;
        }

        /** The environment servers are resolved from (default: this process's). */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /** Resolves the servers, then starts every app after the one it calls; stops what started if any fails. */
        public EmbeddedTopology start() {
            RunRecord.sweep(); // what an earlier run that was killed left behind
            Map<String, ResolvedServer> resolved = new LinkedHashMap<>();
            Map<String, AppLauncher.RunningApp> started = new LinkedHashMap<>();
            try {
                for (ServerSpec server : topology.servers()) {
                    resolved.put(server.name(), ServerProvider.of(server.kind()).resolve(env, forTests));
                }
                Endpoints endpoints = topology.endpoints("127.0.0.1");
                for (AppSpec app : startOrder()) {
                    AppLauncher launcher = AppLauncher.of(app.kind());
                    Map<String, ResolvedServer> servers = new LinkedHashMap<>();
                    app.uses().forEach(name -> servers.put(name, resolved.get(name)));
                    Map<String, String> props = propertiesOf(app);
                    for (int i = 0; i < app.replicas(); i++) {
                        String name = app.instanceNames().get(i);
                        started.put(name, launcher.start(new AppLauncher.Instance(app, name, app.ports().get(i),
                                app.managementPort(i), endpoints, servers, props, bind)));
                    }
                }
            } catch (RuntimeException e) {
                new EmbeddedTopology(topology, started, List.copyOf(resolved.values())).close();
                throw e;
            }
            return new EmbeddedTopology(topology, started, List.copyOf(resolved.values()));
        }

        private Map<String, String> propertiesOf(AppSpec app) {
            Map<String, String> props = new TreeMap<>(app.properties());
            if (labSettings != null) {
                if (app.like() != null) {
                    props.putAll(labSettings.withPrefix("topology." + app.like() + "."));
                }
                props.putAll(labSettings.withPrefix("topology." + app.name() + "."));
            }
            props.putAll(properties.getOrDefault(app.name(), Map.of()));
            return props;
        }

        /** Apps in the topology's order, each after the app it calls. */
        private List<AppSpec> startOrder() {
            List<AppSpec> order = new ArrayList<>();
            Set<String> placed = new HashSet<>();
            while (order.size() < topology.apps().size()) {
                boolean progress = false;
                for (AppSpec app : topology.apps()) {
                    if (!placed.contains(app.name()) && (app.downstream() == null || placed.contains(app.downstream()))) {
                        order.add(app);
                        placed.add(app.name());
                        progress = true;
                    }
                }
                if (!progress) {
                    throw new IllegalArgumentException("topology " + topology.name() + ": its apps call each other in a"
                            + " circle");
                }
            }
            return order;
        }
    }
}

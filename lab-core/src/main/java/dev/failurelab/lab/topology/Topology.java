package dev.failurelab.lab.topology;

import dev.failurelab.lab.infra.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shape of a lab's system, as data: its apps (kind, role, ports, the fault proxy in front of
 * each, the app each calls, replicas) and the servers they use. The embedded topology starts it,
 * {@code --target} names its endpoints on another host, and the compose and Prometheus checks read
 * it. A lab declares another shape in a file of its own (see {@code topologies/chain.properties} for
 * the format) without touching the code that starts it.
 *
 * <p>Immutable and thread-safe; every {@code with…} returns a new topology.
 */
public final class Topology {

    /** The kind of app that owns the fault proxies (one per topology at most). */
    public static final String INJECTOR_KIND = "fault-injector";
    /** The suffix of a proxy's endpoint name: {@code bottom-proxy} is the proxy in front of {@code bottom}. */
    public static final String PROXY_SUFFIX = "-proxy";
    /** The suffix of a management port's endpoint name: {@code bottom-management}. */
    public static final String MANAGEMENT_SUFFIX = "-management";

    private final String name;
    private final List<AppSpec> apps;
    private final List<ServerSpec> servers;

    public Topology(String name, List<AppSpec> apps, List<ServerSpec> servers) {
        this.name = name;
        this.apps = List.copyOf(apps);
        this.servers = List.copyOf(servers);
        validate();
    }

    /** The project's chain: edge → proxy → middle → proxy → bottom, the bottom's replica, Redis, PostgreSQL. */
    public static Topology chain() {
        return load("chain");
    }

    /** {@code /topologies/<name>.properties} from the classpath. */
    public static Topology load(String name) {
        String resource = "/topologies/" + name + ".properties";
        Properties properties = new Properties();
        try (InputStream in = Topology.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no topology '" + name + "' (" + resource + " on the classpath)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(name, properties);
    }

    /**
     * Reads the format of {@code topologies/chain.properties}: {@code apps} and {@code servers} list the
     * names in start order, then {@code app.<name>.<field>} and {@code server.<name>.<field>}.
     */
    public static Topology parse(String name, Properties properties) {
        Map<String, String> p = new TreeMap<>();
        properties.forEach((k, v) -> p.put(k.toString().trim(), v.toString().trim()));
        Set<String> known = new HashSet<>(Set.of("apps", "servers"));
        List<AppSpec> apps = new ArrayList<>();
        for (String app : list(p.get("apps"))) {
            String prefix = "app." + app + ".";
            String kind = required(p, prefix + "kind");
            int port = integer(p, prefix + "port");
            int replicas = p.containsKey(prefix + "replicas") ? integer(p, prefix + "replicas") : 1;
            if (replicas < 1) {
                throw new IllegalArgumentException(prefix + "replicas must be at least 1, got " + replicas);
            }
            List<Integer> ports = new ArrayList<>();
            List<Integer> managementPorts = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                ports.add(port + i);
                if (p.containsKey(prefix + "management-port")) {
                    managementPorts.add(integer(p, prefix + "management-port") + i);
                }
            }
            Map<String, String> fixed = new TreeMap<>();
            p.forEach((key, value) -> {
                if (key.startsWith(prefix + "property.")) {
                    fixed.put(key.substring((prefix + "property.").length()), value);
                    known.add(key);
                }
            });
            apps.add(new AppSpec(app, kind, p.getOrDefault(prefix + "role", app), ports, managementPorts,
                    p.containsKey(prefix + "proxy-port") ? integer(p, prefix + "proxy-port") : null,
                    p.get(prefix + "downstream"), p.get(prefix + "registry"), new LinkedHashSet<>(list(p.get(prefix + "uses"))),
                    p.get(prefix + "group"), p.get(prefix + "like"), fixed));
            for (String field : List.of("kind", "role", "port", "management-port", "replicas", "proxy-port",
                    "downstream", "registry", "uses", "group", "like")) {
                known.add(prefix + field);
            }
        }
        List<ServerSpec> servers = new ArrayList<>();
        for (String server : list(p.get("servers"))) {
            String prefix = "server." + server + ".";
            servers.add(new ServerSpec(server, required(p, prefix + "kind"), p.get(prefix + "group")));
            known.add(prefix + "kind");
            known.add(prefix + "group");
        }
        for (String key : p.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("topology " + name + ": unknown key '" + key
                        + "' (is the app or server listed in 'apps' or 'servers'?)");
            }
        }
        return new Topology(name, apps, servers);
    }

    public String name() {
        return name;
    }

    public List<AppSpec> apps() {
        return apps;
    }

    public List<ServerSpec> servers() {
        return servers;
    }

    public Optional<AppSpec> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public boolean has(String app) {
        return app(app).isPresent();
    }

    /** The app that owns the fault proxies, if any. */
    public Optional<AppSpec> injector() {
        return apps.stream().filter(a -> a.kind().equals(INJECTOR_KIND)).findFirst();
    }

    /** This topology without the apps and servers of {@code group} (and without any use of those servers). */
    public Topology without(String group) {
        List<ServerSpec> keptServers = servers.stream().filter(s -> !group.equals(s.group())).toList();
        Set<String> serverNames = new HashSet<>();
        keptServers.forEach(s -> serverNames.add(s.name()));
        List<AppSpec> keptApps = new ArrayList<>();
        for (AppSpec app : apps) {
            if (group.equals(app.group())) {
                continue;
            }
            Set<String> uses = new LinkedHashSet<>(app.uses());
            uses.retainAll(serverNames);
            keptApps.add(new AppSpec(app.name(), app.kind(), app.role(), app.ports(), app.managementPorts(),
                    app.proxyPort(), app.downstream(), app.registry(), uses, app.group(), app.like(), app.properties()));
        }
        return new Topology(name, keptApps, keptServers);
    }

    /**
     * Every endpoint's port by name, in the apps' order: each instance ({@code bottom}, or
     * {@code shard-1 … shard-N}), its management port ({@code bottom-management}) if it has one, and
     * each proxy ({@code bottom-proxy}).
     */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (AppSpec app : apps) {
            if (app.proxyPort() != null) {
                ports.put(app.name() + PROXY_SUFFIX, app.proxyPort());
            }
            List<String> names = app.instanceNames();
            for (int i = 0; i < names.size(); i++) {
                ports.put(names.get(i), app.ports().get(i));
            }
            for (int i = 0; i < app.managementPorts().size(); i++) {
                ports.put(names.get(i) + MANAGEMENT_SUFFIX, app.managementPorts().get(i));
            }
        }
        return ports;
    }

    /**
     * This topology with some endpoints moved (names as in {@link #ports()}; a replicated app's name
     * moves its first instance and the others follow it).
     *
     * @throws IllegalArgumentException naming the endpoint if it is unknown or a port is out of range
     */
    public Topology withPorts(Map<String, Integer> moved) {
        Map<String, Integer> remaining = new LinkedHashMap<>(moved);
        remaining.forEach((endpoint, port) -> {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException(endpoint + " must be a port between 1 and 65535, got " + port);
            }
        });
        List<AppSpec> result = new ArrayList<>();
        for (AppSpec app : apps) {
            Integer proxy = app.proxyPort();
            if (remaining.containsKey(app.name() + PROXY_SUFFIX)) {
                proxy = remaining.remove(app.name() + PROXY_SUFFIX);
            }
            List<Integer> ports = moved(app, app.ports(), "", remaining);
            List<Integer> management = moved(app, app.managementPorts(), MANAGEMENT_SUFFIX, remaining);
            result.add(app.withPorts(ports, management, proxy));
        }
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("unknown endpoint '" + remaining.keySet().iterator().next()
                    + "'; this topology has " + String.join(", ", ports().keySet()));
        }
        return new Topology(name, result, servers);
    }

    /** {@code app}'s ports of one sort ({@code suffix}), after what {@code remaining} moves (and takes out). */
    private static List<Integer> moved(AppSpec app, List<Integer> current, String suffix, Map<String, Integer> remaining) {
        List<Integer> ports = new ArrayList<>(current);
        if (ports.isEmpty()) {
            return ports;
        }
        if (remaining.containsKey(app.name() + suffix)) {
            int first = remaining.remove(app.name() + suffix);
            for (int i = 0; i < ports.size(); i++) {
                ports.set(i, first + i);
            }
        }
        List<String> names = app.instanceNames();
        for (int i = 0; i < names.size(); i++) {
            if (ports.size() > 1 && remaining.containsKey(names.get(i) + suffix)) {
                ports.set(i, remaining.remove(names.get(i) + suffix));
            }
        }
        return ports;
    }

    /** This topology on free loopback ports (for tests that run beside other processes): {@link FreePorts}. */
    public Topology withFreePorts() {
        Map<String, Integer> free = new LinkedHashMap<>();
        for (String endpoint : ports().keySet()) {
            free.put(endpoint, FreePorts.next());
        }
        return withPorts(free);
    }

    /** Where each endpoint answers on {@code host}. */
    public Endpoints endpoints(String host) {
        return new Endpoints(host, this);
    }

    private void validate() {
        Set<String> names = new HashSet<>();
        Set<String> serverNames = new HashSet<>();
        servers.forEach(s -> {
            if (!serverNames.add(s.name())) {
                throw new IllegalArgumentException("topology " + name + ": two servers named " + s.name());
            }
        });
        for (AppSpec app : apps) {
            if (!names.add(app.name())) {
                throw new IllegalArgumentException("topology " + name + ": two apps named " + app.name());
            }
        }
        for (AppSpec app : apps) {
            if (app.downstream() != null && !names.contains(app.downstream())) {
                throw new IllegalArgumentException("topology " + name + ": app " + app.name() + " calls unknown app "
                        + app.downstream());
            }
            if (app.registry() != null && !names.contains(app.registry())) {
                throw new IllegalArgumentException("topology " + name + ": app " + app.name()
                        + " registers with unknown app " + app.registry());
            }
            if (app.like() != null && !names.contains(app.like())) {
                throw new IllegalArgumentException("topology " + name + ": app " + app.name() + " is like unknown app "
                        + app.like());
            }
            for (String server : app.uses()) {
                if (!serverNames.contains(server)) {
                    throw new IllegalArgumentException("topology " + name + ": app " + app.name()
                            + " uses unknown server " + server);
                }
            }
        }
        boolean proxied = apps.stream().anyMatch(a -> a.proxyPort() != null);
        long injectors = apps.stream().filter(a -> a.kind().equals(INJECTOR_KIND)).count();
        if (injectors > 1 || proxied && injectors == 0) {
            throw new IllegalArgumentException("topology " + name + ": an app with a proxy-port needs exactly one app"
                    + " of kind " + INJECTOR_KIND + " (found " + injectors + ")");
        }
        Map<Integer, String> taken = new java.util.HashMap<>();
        ports().forEach((endpoint, port) -> {
            String other = taken.putIfAbsent(port, endpoint);
            if (other != null) {
                throw new IllegalArgumentException("topology " + name + ": " + endpoint + " and " + other
                        + " both use port " + port + "; every port must be different");
            }
        });
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String required(Map<String, String> p, String key) {
        String value = p.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("topology: missing '" + key + "'");
        }
        return value;
    }

    private static int integer(Map<String, String> p, String key) {
        try {
            return Integer.parseInt(required(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("topology: '" + key + "' must be a whole number, got '" + p.get(key) + "'");
        }
    }

    @Override
    public String toString() {
        return "topology " + name + " " + ports();
    }
}

package dev.failurelab.topology;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.lab.infra.ResolvedServer;
import dev.failurelab.lab.topology.AppSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kind {@code chain}: a chain-service in the app's role, calling its downstream app (through that
 * app's fault proxy, if it has one); with Redis and PostgreSQL among its servers, it serves the hot key.
 */
public final class ChainLauncher implements AppLauncher {

    /** The accept backlog of the bottoms, unless set otherwise. */
    static final int HOT_KEY_ACCEPT_COUNT = 1024;
    /** The threads of the bottoms (the hot key's, all started), unless set otherwise (as in docker-compose.yml). */
    static final int HOT_KEY_THREADS = 520;
    /** The lab's DNS zone, unless a hop's chain.dns.zone says otherwise. */
    static final String DNS_ZONE = "failure-lab.test";

    @Override
    public String kind() {
        return "chain";
    }

    @Override
    public RunningApp start(Instance instance) {
        AppSpec app = instance.app();
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + instance.port());
        args.add("--server.address=" + instance.bind());
        // The actuator and the admin API on a port of their own, if the app has one (else on its own port).
        if (instance.managementPort() != instance.port()) {
            args.add("--management.server.port=" + instance.managementPort());
            args.add("--management.server.address=" + instance.bind());
        } else {
            args.add("--management.server.port=");
        }
        args.add("--chain.role=" + app.role());
        if (app.downstream() != null && "router".equals(app.role())) {
            // The partition router calls every instance of its downstream app: its shards.
            args.add("--chain.partition.shards=" + String.join(",", instance.endpoints().urls(app.downstream())
                    .stream().map(Object::toString).toList()));
        } else if (app.downstream() != null && app.registry() == null) {
            AppSpec downstream = instance.endpoints().topology().app(app.downstream()).orElseThrow();
            URI next = downstream.proxyPort() != null ? instance.endpoints().proxy(downstream.name())
                    : instance.endpoints().url(downstream.name());
            if (instance.properties().containsKey("chain.dns.server")) {
                // A hop with a DNS server of its own (the DNS lab's) calls the next hop by its name in
                // the lab's zone: <app>.failure-lab.test, which the lab's DNS answers with the address.
                next = URI.create(next.getScheme() + "://" + downstream.name() + "."
                        + instance.properties().getOrDefault("chain.dns.zone", DNS_ZONE) + ":" + next.getPort());
            }
            args.add("--chain.downstream-url=" + next);
        }
        if ("registry".equals(app.role())) {
            // The Eureka server; its own client (which Spring Cloud's server needs) registers nowhere, and
            // its own URL is no peer (else it replicates every renewal to itself, and counts it twice).
            String self = "http://127.0.0.1:" + instance.port() + "/eureka/";
            args.addAll(List.of("--eureka.client.enabled=true", "--eureka.client.register-with-eureka=false",
                    "--eureka.client.fetch-registry=false", "--eureka.instance.hostname=127.0.0.1",
                    "--eureka.client.service-url.defaultZone=" + self, "--eureka.server.my-url=" + self,
                    // a lone server: no peer, which Eureka warns about at start
                    "--logging.level.com.netflix.eureka.cluster=error"));
        } else if (app.registry() != null) {
            args.addAll(registryClient(instance));
        }
        if ("store".equals(app.role())) {
            args.addAll(storeNode(instance));
        }
        if (app.replicas() > 1) {
            // A shard's number (1 to N), as its answers and the router's meters name it.
            args.add("--chain.shard.number=" + (app.instanceNames().indexOf(instance.name()) + 1));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        ResolvedServer redis = server(instance, "redis");
        ResolvedServer postgres = server(instance, "postgres");
        if (redis != null && postgres != null && !"store".equals(app.role())) {
            args.add("--chain.cache.enabled=true");
            args.add("--chain.cache.redis.url=" + redis.url());
            args.add("--chain.cache.postgres.url=" + postgres.url());
            args.add("--chain.cache.postgres.user=" + postgres.user());
            args.add("--chain.cache.postgres.password=" + postgres.password());
            // Threads for half a burst of 1000 at once, started before it: every request of the
            // burst reaches the cache before the first recompute lands (the condition of a stampede).
            properties.put("server.tomcat.threads.min-spare", String.valueOf(HOT_KEY_THREADS));
        }
        if ("bottom".equals(app.role())) {
            // Bursts of new connections (the hot key's): with Tomcat's backlog of 100 the kernel
            // drops the SYNs past it and each costs its client a 1 s retransmit.
            properties.put("server.tomcat.accept-count", String.valueOf(HOT_KEY_ACCEPT_COUNT));
            // Threads for the hot key's bursts, and for the queue the bottom's discipline controls:
            // an unbounded queue of hundreds waits there, not in a hidden queue of Tomcat's in front
            // of it (as in docker-compose.yml, whose bottoms all have them).
            properties.put("server.tomcat.threads.max", String.valueOf(HOT_KEY_THREADS));
        }
        properties.putAll(instance.properties());
        return SpringApps.run(ChainServiceApplication::builder, args, properties);
    }

    /**
     * A Eureka client of the app's registry (through its proxy, if it has one): a calling app finds its
     * downstream there (chain.discovery.service) and registers nothing; any other registers as its
     * app (the Eureka app and VIP address) and instance name.
     */
    private static List<String> registryClient(Instance instance) {
        AppSpec app = instance.app();
        AppSpec registry = instance.endpoints().topology().app(app.registry()).orElseThrow();
        URI url = registry.proxyPort() != null ? instance.endpoints().proxy(registry.name())
                : instance.endpoints().url(registry.name());
        List<String> args = new ArrayList<>(List.of("--eureka.client.enabled=true",
                // Eureka logs each failed heartbeat or fetch with its stack: the lab's faults cause them
                // on purpose, and its meters count them (chain.discovery.registry.requests).
                "--logging.level.com.netflix=off",
                "--eureka.client.service-url.defaultZone=" + url.resolve("/eureka/"),
                "--eureka.instance.hostname=127.0.0.1", "--eureka.instance.ip-address=127.0.0.1"));
        if (app.downstream() != null) {
            args.addAll(List.of("--eureka.client.register-with-eureka=false", "--eureka.client.fetch-registry=true",
                    "--chain.discovery.service=" + app.downstream(),
                    "--chain.downstream-url=http://" + app.downstream() + "/"));
        } else {
            args.addAll(List.of("--eureka.client.register-with-eureka=true", "--eureka.client.fetch-registry=false",
                    "--eureka.instance.appname=" + app.name(), "--eureka.instance.virtual-host-name=" + app.name(),
                    "--eureka.instance.instance-id=" + instance.name()));
        }
        return args;
    }

    /**
     * A node of the split-brain lab's store: its name, its peers (the other instances of its app, on their
     * app ports), the ZooKeeper ensemble it elects its leader on, and the PostgreSQL of its replica.
     */
    private static List<String> storeNode(Instance instance) {
        AppSpec app = instance.app();
        List<String> args = new ArrayList<>(List.of("--chain.store.node=" + instance.name()));
        List<String> names = app.instanceNames();
        List<URI> urls = instance.endpoints().urls(app.name());
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(instance.name())) {
                args.add("--chain.store.peers[" + names.get(i) + "]=" + urls.get(i));
            }
        }
        ResolvedServer zookeeper = server(instance, "zookeeper");
        ResolvedServer postgres = server(instance, "postgres");
        if (zookeeper == null || postgres == null) {
            throw new IllegalArgumentException("app '" + app.name() + "' (role store) must use a zookeeper and a postgres server");
        }
        args.add("--chain.store.zookeeper=" + zookeeper.url());
        args.add("--chain.store.postgres.url=" + postgres.url());
        args.add("--chain.store.postgres.user=" + postgres.user());
        args.add("--chain.store.postgres.password=" + postgres.password());
        // ZooKeeper's client logs every lost connection with its stack: the lab's partitions cause them on purpose.
        args.add("--logging.level.org.apache.zookeeper=error");
        args.add("--logging.level.org.apache.curator=error");
        return args;
    }

    private static ResolvedServer server(Instance instance, String kind) {
        return instance.servers().values().stream().filter(s -> s.kind().equals(kind)).findFirst().orElse(null);
    }
}

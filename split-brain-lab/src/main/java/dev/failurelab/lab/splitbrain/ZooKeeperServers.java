package dev.failurelab.lab.splitbrain;

import dev.failurelab.lab.infra.FreePorts;
import dev.failurelab.lab.infra.ResolvedServer;
import dev.failurelab.lab.infra.RunRecord;
import dev.failurelab.lab.infra.ServerProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * Kind {@code zookeeper}: the split-brain lab's ensemble. {@value #URL_ENV} (a connect string, as
 * compose sets it) if given, else an embedded ensemble of {@value #SERVERS} real ZooKeeper servers
 * in this JVM (Apache Curator's {@code TestingCluster}) on free loopback ports, with a short tick
 * ({@value #TICK_MS} ms) so that sessions of about a second and a half are allowed. No container is
 * tried: the embedded ensemble is ZooKeeper's own server, and starts in a second.
 */
public final class ZooKeeperServers implements ServerProvider {

    /** The environment variable naming an ensemble to use. */
    public static final String URL_ENV = "LAB_ZOOKEEPER_URL";
    /** Servers in the embedded ensemble: a majority of 2 survives one. */
    static final int SERVERS = 3;
    /** The ensemble's tick: sessions may be 2 to 20 ticks long. */
    static final int TICK_MS = 250;

    @Override
    public String kind() {
        return "zookeeper";
    }

    @Override
    public ResolvedServer resolve(Map<String, String> env, boolean forTests) {
        String url = env.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            return new ResolvedServer("zookeeper", url, null, null, URL_ENV, () -> {
            });
        }
        List<InstanceSpec> specs = new ArrayList<>();
        List<RunRecord.Entry> records = new ArrayList<>();
        for (int id = 1; id <= SERVERS; id++) {
            int port = FreePorts.next();
            Path data = RunRecord.current().dataFolder("zookeeper-" + port);
            try {
                java.nio.file.Files.createDirectories(data);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + data, e);
            }
            records.add(RunRecord.current().record("zookeeper-" + port).port(port).folder(data));
            specs.add(new InstanceSpec(data.toFile(), port, FreePorts.next(), FreePorts.next(), true, id,
                    TICK_MS, 60, Map.of("admin.enableServer", "false"), "127.0.0.1"));
        }
        // ZooKeeper's servers log every connection at INFO, and each lost one (the lab's partitions) as a warning.
        quiet(ch.qos.logback.classic.Level.ERROR);
        TestingCluster cluster = new TestingCluster(specs);
        try {
            cluster.start();
        } catch (Exception e) {
            records.forEach(RunRecord.Entry::close);
            throw new IllegalStateException("cannot start an embedded ZooKeeper ensemble (set " + URL_ENV
                    + " to use another): " + e.getMessage(), e);
        }
        return new ResolvedServer("zookeeper", cluster.getConnectString(), null, null,
                "embedded ZooKeeper ensemble of " + SERVERS + ", stopped at exit", () -> {
                    try {
                        quiet(ch.qos.logback.classic.Level.OFF); // the ensemble's members see each other go
                        cluster.close();
                    } finally {
                        records.forEach(RunRecord.Entry::close);
                    }
                });
    }

    private static void quiet(ch.qos.logback.classic.Level level) {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger("org.apache.zookeeper").setLevel(level);
            logback.getLogger("org.apache.curator").setLevel(level);
        }
    }
}

package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.infra.ExternalTool.Result;
import dev.failurelab.lab.infra.ExternalTool;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The course's cache scripts against the embedded topology with its cache (the bottom and its
 * replica on real Redis and PostgreSQL): {@code ./apply-lock.sh}, {@code ./cache-strategy.sh} and
 * {@code ./stampede.sh}, run as a participant runs them.
 */
class StampedeScriptsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static EmbeddedTopology topology;
    private static String replicas;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.chain().withFreePorts()).forTests()
                .property("bottom", "chain.cache.ttl", "2s")
                .property("replica", "chain.cache.ttl", "2s")
                .start();
        replicas = String.join(" ", owners().stream().map(URI::toString).toList());
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    @Test
    void applyLock_switchesEveryReplica_andCacheStrategyStatusShowsIt() throws Exception {
        Result applied = script("apply-lock.sh");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        AdminHttp http = new AdminHttp();
        for (URI replica : owners()) {
            assertThat(http.send("GET", replica.resolve("/admin/cache-strategy"), null)).contains("\"strategy\":\"lock\"");
        }
        Result status = script("cache-strategy.sh", "status");
        assertThat(status.output()).contains(owners().get(1) + ": {\"strategy\":\"lock\"");
    }

    @Test
    void cacheStrategy_withABadStrategy_printsTheUsage_andExits2() throws Exception {
        Result result = script("cache-strategy.sh", "mutex");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("unknown strategy 'mutex'", "usage: ./cache-strategy.sh");
    }

    @Test
    void stampede_underLock_firesAtTheExpiry_andReportsOneOriginQuery() throws Exception {
        assertThat(script("apply-lock.sh").exitCode()).isZero();
        Map<String, Integer> endpoints = topology.topology().ports();
        String ports = endpoints.get("bottom") + "," + endpoints.get("replica");
        String adminPorts = endpoints.get("bottom-management") + "," + endpoints.get("replica-management");

        Result result = script("stampede.sh", "--requests", "300", "--ports", ports, "--admin-ports", adminPorts);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("waiting", "strategy lock: 300 requests at the expiry -> 1 origin queries,"
                + " 0 errors");
    }

    @Test
    void labRestart_bringsTheReplicaBackWithItsStartUpProperties_andSaysWhenItIsUp() throws Exception {
        int admin = topology.topology().ports().get("replica-management");
        LabCli cli = new LabCli();

        assertThat(cli.run("restart", "replica", "--port", "replica-management=" + admin)).as(cli.err.toString())
                .isZero();

        assertThat(cli.out.toString()).contains("replica: restarting", "replica: up again after");
        assertThat(new AdminHttp().send("GET", owners().get(1).resolve("/admin/settings"), null))
                .as("its start-up properties, as the topology gave them").contains("\"chain.cache.ttl\":\"2000ms\"");
    }

    @Test
    void stampede_withABadArgument_printsTheUsage_andExits2() throws Exception {
        Result result = script("stampede.sh", "--requests");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("--requests needs a value", "usage: ./stampede.sh");
    }

    private static Result script(String name, String... args) throws IOException, InterruptedException {
        return ExternalTool.script(ROOT, Map.of("CACHE_REPLICAS", replicas), Duration.ofMinutes(3), name, args);
    }

    /** The replicas' admin API (their management ports). */
    private static java.util.List<URI> owners() {
        return java.util.List.of(topology.management("bottom"), topology.management("replica"));
    }
}

package dev.failurelab.lab.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The store's nodes over real HTTP, PostgreSQL and ZooKeeper: one naive leader at start, writes and
 * reads, the admin faults and their bad input; and the lab sheet's scripts against them (each defence
 * switched and shown, a partition and a pause through store-fault.sh, writes.sh counting the writes a
 * heal lost, bad arguments answered with the usage and exit code 2).
 */
class StoreNodesIT {

    private static EmbeddedTopology topology;
    private static List<URI> nodes;
    private static List<URI> admins;
    private static final StoreClient CLIENT = new StoreClient(Duration.ofSeconds(2));
    private static final AdminHttp ADMIN = new AdminHttp();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final java.nio.file.Path ROOT = java.nio.file.Path.of("..").toAbsolutePath().normalize();
    private static java.util.Map<String, String> env;

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.load("split-brain").withFreePorts()).forTests().start();
        nodes = topology.endpoints().urls("store");
        admins = IntStream.range(0, 3).mapToObj(i -> topology.endpoints().managements("store").get(i)).toList();
        env = java.util.Map.of("STORES", String.join(" ", nodes.stream().map(StoreNodesIT::base).toList()),
                "STORES_ADMIN", String.join(" ", admins.stream().map(StoreNodesIT::base).toList()));
    }

    private static String base(URI uri) {
        String url = uri.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static dev.failurelab.lab.infra.ExternalTool.Result script(String name, String... args) throws Exception {
        return dev.failurelab.lab.infra.ExternalTool.script(ROOT, env, Duration.ofMinutes(1), "split-brain-lab/scripts/"
                + name, args);
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    private static long leaders() {
        return nodes.stream().map(CLIENT::status).filter(s -> s != null && s.path("leader").asBoolean()).count();
    }

    private static URI leader() {
        return nodes.stream().filter(n -> {
            JsonNode s = CLIENT.status(n);
            return s != null && s.path("leader").asBoolean();
        }).findFirst().orElseThrow();
    }

    private static HttpResponse<String> send(String method, URI url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oneLeaderWritesAndReads_andFollowersRefer() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> leaders() == 1);
        URI leader = leader();
        StoreClient.WriteResult written = CLIENT.write(leader, "smoke-1", "smoke", 41);
        assertThat(written.outcome()).isEqualTo("acked");
        StoreClient.ReadResult read = CLIENT.read(leader, "smoke");
        assertThat(read.ok()).isTrue();
        assertThat(read.value()).isEqualTo(41);
        URI follower = nodes.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        StoreClient.WriteResult refused = CLIENT.write(follower, "smoke-2", "smoke", 42);
        assertThat(refused.outcome()).isEqualTo("not_leader");
        assertThat(refused.leader()).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(n -> CLIENT.entries(n).stream()
                .anyMatch(e -> e.id().equals("smoke-1"))));
    }

    @Test
    void aNaiveAck_thatNoMajorityTakes_isCountedAtRisk_andOneEveryReplicaTakesIsNot() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> leaders() == 1);
        URI leader = leader();
        URI admin = admins.get(nodes.indexOf(leader));
        double before = atRisk(admin);
        assertThat(CLIENT.write(leader, "risk-1", "risk", 1).outcome()).isEqualTo("acked");
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(n -> CLIENT.entries(n).stream()
                .anyMatch(e -> e.id().equals("risk-1"))));
        Thread.sleep(600); // past the peer call's timeout: a late count would show
        assertThat(atRisk(admin) - before).as("an ack every replica took").isZero();
        List<String> peers = IntStream.rangeClosed(1, 3).mapToObj(i -> "store-" + i)
                .filter(n -> !nodes.get(Integer.parseInt(n.substring(6)) - 1).equals(leader)).toList();
        ADMIN.send("PUT", admin.resolve("/admin/network-partition"), "{\"cut\":[\"" + String.join("\",\"", peers)
                + "\"],\"ttl\":\"5s\"}");
        try {
            assertThat(CLIENT.write(leader, "risk-2", "risk", 2).outcome()).as("naive HA acknowledges at once")
                    .isEqualTo("acked");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(atRisk(admin) - before)
                    .as("the ack its peers never took").isEqualTo(1));
        } finally {
            ADMIN.send("DELETE", admin.resolve("/admin/network-partition"), "");
        }
    }

    private static double atRisk(URI admin) {
        return new dev.failurelab.lab.metrics.PrometheusScraper(Duration.ofSeconds(2)).scrape(admin.resolve(
                "/actuator/prometheus")).sum(dev.failurelab.contract.PrometheusNames.counter(
                        dev.failurelab.contract.ChainMetricNames.STORE_ACKED_MINORITY));
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        HttpResponse<String> response = send("POST", nodes.get(0).resolve("/store/writes"), "{\"id\":\"a\",\"key\":\"k\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"value\"");
        response = send("POST", nodes.get(0).resolve("/store/writes"), "{\"id\":\"a b\",\"key\":\"k\",\"value\":1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"id\"");
        response = send("PUT", admins.get(0).resolve("/admin/network-partition"), "{\"cut\":[\"store-9\"],\"ttl\":\"5s\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"cut\"").contains("store-9");
        response = send("PUT", admins.get(0).resolve("/admin/network-partition"), "{\"cut\":[\"zookeeper\"]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"ttl\"");
        response = send("PUT", admins.get(0).resolve("/admin/pause"), "{\"duration\":\"2h\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"duration\"");
        response = send("PUT", admins.get(0).resolve("/admin/pause"), "{\"duration\":\"1s\",\"at\":\"later\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"at\"");
        response = send("PUT", admins.get(0).resolve("/admin/leadership"), "{\"mode\":\"paxos\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"mode\"");
    }

    @Test
    void aPartitionEndsAtItsTtl() throws Exception {
        ADMIN.send("PUT", admins.get(2).resolve("/admin/network-partition"), "{\"cut\":[\"store-1\"],\"ttl\":\"1s\"}");
        assertThat(CLIENT.status(nodes.get(2)).path("cut").toString()).contains("store-1");
        await().atMost(Duration.ofSeconds(4)).until(() -> CLIENT.status(nodes.get(2)).path("cut").isEmpty());
    }

    @Test
    void theScripts_partitionTheNaiveLeader_andWritesShCountsTheAcknowledgedWritesTheHealLost() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> leaders() == 1);
        // Every node has heard the leader's term: a partition cut before that could elect a majority
        // leader with an equal term, and the tie (by name) could go to the old leader at the heal.
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().map(CLIENT::status)
                .filter(s -> s != null).map(s -> s.path("term").asLong()).distinct().count() == 1);
        int leader = nodes.indexOf(leader()) + 1;
        int other = leader % 3 + 1;
        java.nio.file.Path minority = java.nio.file.Files.createTempFile("minority", ".txt");
        var partition = script("store-fault.sh", "--ttl", "60s", "partition");
        assertThat(partition.exitCode()).as(partition.output()).isZero();
        assertThat(partition.output()).contains("\"cut\":[\"store-" + (leader % 3 + 1) + "\"").doesNotContain("FAILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders() == 2);
        var sent = script("writes.sh", "--node", String.valueOf(leader), "--count", "5", "--key", "scripts",
                "--out", minority.toString(), "send");
        assertThat(sent.output()).contains("acked: 5");
        var status = script("store-fault.sh", "status");
        assertThat(status.output()).contains("\"leader\":true", "\"cut\":[\"store-");
        assertThat(script("store-fault.sh", "clear").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(script("writes.sh", "--node",
                String.valueOf(other), "check", minority.toString()).output()).contains("of the 5 acknowledged writes",
                ": 5 lost"));
    }

    @Test
    void theDefenceScripts_switchAndShow_andAPauseStrikesTheNextWrite() throws Exception {
        for (String[] step : new String[][] {{"apply-consensus.sh", "/admin/leadership", "\"mode\":\"consensus\""},
                {"apply-fencing.sh", "/admin/fencing", "\"fencing\":\"on\""}}) {
            var result = script(step[0]);
            assertThat(result.exitCode()).as(result.output()).isZero();
            for (URI admin : admins) {
                assertThat(ADMIN.send("GET", admin.resolve(step[1]), null)).as(step[0]).contains(step[2]);
            }
        }
        assertThat(script("leadership.sh", "status").output()).contains("\"mode\":\"consensus\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> leaders() == 1);
        var pause = script("store-fault.sh", "pause", "1s");
        assertThat(pause.exitCode()).as(pause.output()).isZero();
        assertThat(pause.output()).contains("\"pauseArmedMs\":1000");
        var naive = script("apply-naive.sh");
        assertThat(naive.exitCode()).as(naive.output()).isZero();
        assertThat(script("fencing.sh", "status").output()).contains("\"fencing\":\"off\"");
        assertThat(script("store-fault.sh", "clear").exitCode()).isZero();
        assertThat(CLIENT.status(nodes.get(0)).path("paused").asBoolean()).isFalse();
    }

    @Test
    void badArgumentsToTheScripts_printTheUsage_andExit2() throws Exception {
        for (String[] call : new String[][] {{"leadership.sh", "raft"}, {"fencing.sh"}, {"store-fault.sh", "split"},
                {"store-fault.sh", "--node", "7", "partition"}, {"store-fault.sh", "pause", "soon"},
                {"writes.sh", "--count", "0", "send"}, {"writes.sh", "check", "/no/such/file"}}) {
            var result = script(call[0], java.util.Arrays.copyOfRange(call, 1, call.length));
            assertThat(result.exitCode()).as(String.join(" ", call) + ": " + result.output()).isEqualTo(2);
            assertThat(result.output()).as(String.join(" ", call)).contains("usage:");
        }
    }
}

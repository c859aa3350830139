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
 * reads, the admin faults and their bad input.
 */
class StoreNodesIT {

    private static EmbeddedTopology topology;
    private static List<URI> nodes;
    private static List<URI> admins;
    private static final StoreClient CLIENT = new StoreClient(Duration.ofSeconds(2));
    private static final AdminHttp ADMIN = new AdminHttp();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        topology = EmbeddedTopology.builder(Topology.load("split-brain").withFreePorts()).forTests().start();
        nodes = topology.endpoints().urls("store");
        admins = IntStream.range(0, 3).mapToObj(i -> topology.endpoints().managements("store").get(i)).toList();
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
        await().atMost(Duration.ofSeconds(5)).until(() -> CLIENT.entries(follower).stream()
                .anyMatch(e -> e.id().equals("smoke-1")));
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        HttpResponse<String> response = send("POST", nodes.get(0).resolve("/store/writes"), "{\"id\":\"a\",\"key\":\"k\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"value\"");
        response = send("POST", nodes.get(0).resolve("/store/writes"), "{\"id\":\"a b\",\"key\":\"k\",\"value\":1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"id\"");
        response = send("PUT", admins.get(0).resolve("/admin/partition"), "{\"cut\":[\"store-9\"],\"ttl\":\"5s\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"cut\"").contains("store-9");
        response = send("PUT", admins.get(0).resolve("/admin/partition"), "{\"cut\":[\"zookeeper\"]}");
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
        ADMIN.send("PUT", admins.get(2).resolve("/admin/partition"), "{\"cut\":[\"store-1\"],\"ttl\":\"1s\"}");
        assertThat(CLIENT.status(nodes.get(2)).path("cut").toString()).contains("store-1");
        await().atMost(Duration.ofSeconds(4)).until(() -> CLIENT.status(nodes.get(2)).path("cut").isEmpty());
    }
}

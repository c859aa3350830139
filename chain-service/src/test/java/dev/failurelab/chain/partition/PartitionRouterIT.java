package dev.failurelab.chain.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.TestHttp;
import dev.failurelab.contract.AdminPaths;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router over three real shards (chain-service bottoms, each in its own application context on
 * its own port), over HTTP: it places keys, passes a shard's 429 on, refuses a bad key, coalesces a
 * hot key's reads, and with write sharding spreads a hot key's increments over its sub-keys while
 * its counter still reads every acknowledged increment.
 */
class PartitionRouterIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<ConfigurableApplicationContext> APPS = new ArrayList<>();
    private static int router;
    private static int routerManagement;

    @BeforeAll
    static void start() {
        List<String> shards = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            ConfigurableApplicationContext shard = ChainServiceApplication.builder().run("--server.port=0",
                    "--server.address=127.0.0.1", "--management.server.port=", "--chain.role=bottom",
                    "--chain.shard.number=" + n, "--chain.capacity.max-concurrency=4",
                    "--chain.capacity.queue-capacity=0", "--chain.capacity.service-time=40ms");
            APPS.add(shard);
            shards.add("http://127.0.0.1:" + shard.getEnvironment().getProperty("local.server.port"));
        }
        ConfigurableApplicationContext app = ChainServiceApplication.builder().run("--server.port=0",
                "--server.address=127.0.0.1", "--management.server.port=0", "--management.server.address=127.0.0.1",
                "--chain.role=router", "--chain.partition.shards=" + String.join(",", shards),
                "--chain.partition.hot-key-window=200ms", "--chain.partition.hot-key-min-share=0.2",
                "--chain.partition.write-shards=6");
        APPS.add(app);
        router = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        routerManagement = Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
    }

    @AfterAll
    static void stop() {
        APPS.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aReadGoesToItsKeysHome_theSameShardEachTime() throws Exception {
        JsonNode first = JSON.readTree(TestHttp.send("GET", router, "/api/kv/k42", null).body());
        JsonNode again = JSON.readTree(TestHttp.send("GET", router, "/api/kv/k42", null).body());
        assertThat(first.get("shard").asInt()).isBetween(1, 3).isEqualTo(again.get("shard").asInt());
        assertThat(first.get("home").asBoolean()).isTrue();
        assertThat(first.get("source").asString()).isEqualTo("shard");
    }

    @Test
    void aBadKeyIsA400NamingTheField_andAnUnknownPathNoChainCall() throws Exception {
        HttpResponse<String> bad = TestHttp.send("GET", router, "/api/kv/a%20b", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("field").asString()).isEqualTo("key");
        assertThat(TestHttp.send("GET", router, "/api/chain", null).statusCode()).as("a router is no chain hop")
                .isEqualTo(404);
    }

    @Test
    void pastItsShardsCapacity_theRouterAnswers429WithRetryAfter() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(TestHttp.getAsync(router, "/api/kv/one-key"));
        }
        long throttled = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            if (response.statusCode() == 429) {
                throttled++;
                assertThat(response.headers().firstValue("Retry-After")).contains("1");
                assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("throttled");
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        assertThat(throttled).as("40 at once on one key's shard of 4 slots, no queue").isGreaterThan(10);
    }

    @Test
    void withCoalescing_aHotKeysReadsShareShardCalls() throws Exception {
        switchTo("hot-keys", "strategy", "coalesce");
        try {
            heat("hot-read", "/api/kv/hot-read");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(TestHttp.getAsync(router, "/api/kv/hot-read"));
            }
            Set<String> sources = new HashSet<>();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.join();
                assertThat(response.statusCode()).isEqualTo(200);
                sources.add(JSON.readTree(response.body()).get("source").asString());
            }
            assertThat(sources).contains("coalesced");
        } finally {
            switchTo("hot-keys", "strategy", "none");
        }
    }

    @Test
    void withWriteSharding_aHotKeysIncrementsSpread_andItsCounterReadsThemAll() throws Exception {
        switchTo("write-sharding", "sharding", "on");
        try {
            int acknowledged = heat("likes", null);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> post("/api/counter/likes"), pool));
            }
            Set<Integer> shards = new HashSet<>();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.join();
                if (response.statusCode() == 200) {
                    acknowledged++;
                    shards.add(JSON.readTree(response.body()).get("shard").asInt());
                }
            }
            pool.shutdown();
            assertThat(shards).as("the hot key's writes on more than its home").hasSizeGreaterThan(1);
            JsonNode count = JSON.readTree(TestHttp.send("GET", router, "/api/counter/likes", null).body());
            assertThat(count.get("value").asLong()).as("every acknowledged increment, read back through the fan-in")
                    .isEqualTo(acknowledged);
            assertThat(count.get("source").asString()).isEqualTo("fan-in:7");
            JsonNode view = JSON.readTree(TestHttp.send("GET", routerManagement, AdminPaths.PARTITION, null).body());
            assertThat(view.get("writeShardedKeys").asInt()).isEqualTo(1);
            assertThat(view.get("seconds").size()).isGreaterThan(0);
        } finally {
            switchTo("write-sharding", "sharding", "off");
        }
    }

    /** Makes {@code key} hot (its reads at {@code path}, else its increments); the increments acknowledged. */
    private static int heat(String key, String path) throws Exception {
        int acknowledged = 0;
        long until = System.nanoTime() + 600_000_000L;
        while (System.nanoTime() < until) {
            HttpResponse<String> response = path != null ? TestHttp.send("GET", router, path, null)
                    : post("/api/counter/" + key);
            if (path == null && response.statusCode() == 200) {
                acknowledged++;
            }
        }
        JsonNode view = JSON.readTree(TestHttp.send("GET", routerManagement, AdminPaths.PARTITION, null).body());
        boolean hot = false;
        for (JsonNode k : view.get("hotKeys")) {
            hot |= k.get("key").asString().equals(key) && k.get("hot").asBoolean();
        }
        assertThat(hot).as(key + " detected hot: " + view.get("hotKeys")).isTrue();
        return acknowledged;
    }

    private static HttpResponse<String> post(String path) {
        try {
            return TestHttp.send("POST", router, path, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void switchTo(String defence, String field, String option) throws Exception {
        HttpResponse<String> response = TestHttp.send("PUT", routerManagement, "/admin/" + defence,
                "{\"" + field + "\":\"" + option + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}

package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.lab.infra.ResolvedServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The bottom with its hot-key cache on real Redis and real PostgreSQL, over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=bottom",
        "chain.cache.enabled=true",
        "chain.cache.ttl=1s",
        "chain.cache.origin.seed-rows=50000",
        "chain.cache.origin.scan-rows=50000",
        "chain.cache.postgres.connection-timeout=1s",
        "chain.cache.postgres.statement-timeout=1s",
        "chain.cache.origin.hold=0s"})
class HotKeyCacheIT {

    private static final ResolvedServer REDIS = Infrastructure.redisForTests(System.getenv());
    private static final ResolvedServer POSTGRES = Infrastructure.postgresForTests(System.getenv());
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("chain.cache.redis.url", REDIS::url);
        registry.add("chain.cache.postgres.url", POSTGRES::url);
        registry.add("chain.cache.postgres.user", POSTGRES::user);
        registry.add("chain.cache.postgres.password", POSTGRES::password);
    }

    @AfterAll
    static void stop() {
        REDIS.close();
        POSTGRES.close();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void cleanStart() throws Exception {
        assertThat(send("DELETE", "/admin/cache", null).statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/admin/cache-strategy", "{\"strategy\":\"none\"}").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (path.startsWith("/api") ? port : managementPort) + path))
                .timeout(Duration.ofSeconds(20));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double originQueries() {
        return registry.get(ChainMetricNames.CACHE_ORIGIN_QUERIES).tag(ChainMetricNames.OUTCOME, "success").timer()
                .count();
    }

    @Test
    void topProducts_aMissQueriesPostgres_thenTheValueIsServedFromRedis() throws Exception {
        double before = originQueries();
        HttpResponse<String> miss = send("GET", "/api/top-products", null);
        HttpResponse<String> hit = send("GET", "/api/top-products", null);

        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.headers().firstValue("X-Cache")).contains("miss");
        JsonNode products = JSON.readTree(miss.body()).get("products");
        assertThat(products.size()).isEqualTo(10);
        assertThat(products.get(0).get("revenueCents").asLong())
                .as("ordered by revenue").isGreaterThanOrEqualTo(products.get(9).get("revenueCents").asLong());
        assertThat(hit.headers().firstValue("X-Cache")).contains("hit");
        assertThat(JSON.readTree(hit.body()).get("products")).isEqualTo(products);
        assertThat(originQueries() - before).as("one query to PostgreSQL for two reads").isEqualTo(1);
    }

    @Test
    void cacheStrategy_switchesLive_andBadInputIsA400NamingTheField() throws Exception {
        HttpResponse<String> switched = send("PUT", "/admin/cache-strategy", "{\"strategy\":\"lock+swr\"}");
        assertThat(switched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/admin/cache-strategy", null).body()).get("strategy").asString())
                .isEqualTo("lock+swr");
        assertThat(registry.get(dev.failurelab.contract.Defences.CACHE_STRATEGY.meter()).tag(dev.failurelab.contract.Defences.CACHE_STRATEGY.field(), "lock+swr").gauge()
                .value()).isEqualTo(1.0);

        assertBadRequest(send("PUT", "/admin/cache-strategy", "{\"strategy\":\"mutex\"}"), "strategy", "mutex");
        assertBadRequest(send("POST", "/admin/cache-strategy", "{\"strategy\":3}"), "strategy", "required");
        assertBadRequest(send("PUT", "/admin/cache-strategy", "{\"strategy\":\"lock\",\"ttl\":1}"), "ttl", "unknown");
        assertBadRequest(send("PUT", "/admin/cache-strategy", "{strategy"), "body", "malformed");
        assertBadRequest(send("PUT", "/admin/cache-strategy", ""), "body", "expected");
        assertThat(JSON.readTree(send("GET", "/admin/cache-strategy", null).body()).get("strategy").asString())
                .as("bad input changed nothing").isEqualTo("lock+swr");
    }

    private static void assertBadRequest(HttpResponse<String> response, String field, String messagePart) {
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("field").asString()).isEqualTo(field);
        assertThat(body.get("message").asString()).contains(messagePart);
    }

    @Test
    void adminCache_showsTheEntry_andWhenItWasRecomputed_andDeleteEvictsIt() throws Exception {
        JsonNode absent = JSON.readTree(send("GET", "/admin/cache", null).body());
        assertThat(absent.get("state").asString()).isEqualTo("absent");
        send("GET", "/api/top-products", null);
        JsonNode fresh = JSON.readTree(send("GET", "/admin/cache", null).body());
        assertThat(fresh.get("state").asString()).isEqualTo("fresh");
        assertThat(fresh.get("expiresInMs").asLong()).isBetween(1L, 1000L);
        assertThat(fresh.get("recomputeMs").asLong()).isPositive();
        assertThat(fresh.get("recentRecomputes").get(0).get("trigger").asString()).isEqualTo("miss");
        Thread.sleep(1100);
        assertThat(JSON.readTree(send("GET", "/admin/cache", null).body()).get("state").asString()).isEqualTo("stale");
        send("DELETE", "/admin/cache", null);
        assertThat(JSON.readTree(send("GET", "/admin/cache", null).body()).get("state").asString()).isEqualTo("absent");
    }

    @Test
    void postgresSlow_aReadFailsWithinTheStatementTimeout_withAClearError_orIsServedStale() throws Exception {
        send("PUT", "/admin/cache-strategy", "{\"strategy\":\"lock+swr\"}");
        assertThat(send("GET", "/api/top-products", null).statusCode()).isEqualTo(200);
        Thread.sleep(1100); // expired, still in Redis
        try (Connection blocker = DriverManager.getConnection(POSTGRES.url(), POSTGRES.user(), POSTGRES.password());
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"); // every query now waits

            long start = System.nanoTime();
            HttpResponse<String> stale = send("GET", "/api/top-products", null);
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.headers().firstValue("X-Cache")).contains("stale");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stale is served at once")
                    .isLessThan(Duration.ofMillis(500));

            send("PUT", "/admin/cache-strategy", "{\"strategy\":\"none\"}");
            send("DELETE", "/admin/cache", null);
            start = System.nanoTime();
            HttpResponse<String> failed = send("GET", "/api/top-products", null);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(failed.body()).get("error").asString()).isEqualTo("origin_unavailable");
            assertThat(JSON.readTree(failed.body()).get("message").asString()).contains("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the 1 s statement timeout")
                    .isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
            blocker.rollback();
        }
        assertThat(send("GET", "/api/top-products", null).statusCode()).as("recovers").isEqualTo(200);
    }

    @Test
    void prometheus_exportsTheCacheAndPoolMeters() throws Exception {
        send("GET", "/api/top-products", null);
        String scrape = send("GET", "/actuator/prometheus", null).body();
        assertThat(scrape).contains("chain_cache_requests_seconds_count{", "chain_cache_origin_queries_seconds_count{",
                "chain_cache_recomputes_seconds_count{", "chain_cache_lock_acquisitions_total{",
                "chain_cache_strategy{", "hikaricp_connections_pending{", "hikaricp_connections_active{");
    }
}

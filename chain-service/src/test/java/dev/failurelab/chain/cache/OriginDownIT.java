package dev.failurelab.chain.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.Infrastructure;
import dev.failurelab.lab.infra.ResolvedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL stops under a running service. This test stops the database, so it always runs its
 * own embedded PostgreSQL rather than a shared one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=chain-service",
        "chain.role=bottom",
        "chain.cache.enabled=true",
        "chain.cache.strategy=lock+swr",
        "chain.cache.ttl=1s",
        "chain.cache.origin.seed-rows=20000",
        "chain.cache.origin.scan-rows=20000",
        "chain.cache.postgres.connection-timeout=1s",
        "chain.cache.postgres.statement-timeout=1s",
        "chain.cache.origin.hold=0s"})
class OriginDownIT {

    private static final ResolvedServer REDIS = Infrastructure.redisForTests(System.getenv());
    private static final ResolvedServer POSTGRES = Infrastructure.postgres(java.util.Map.of());
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private HttpResponse<String> send(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (path.startsWith("/api") ? port : managementPort) + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void postgresDown_staleIsServed_andWithNothingStale_everyReadGetsA503_withinTheConnectionTimeout() {
        assertThat(send("GET", "/api/top-products").statusCode()).isEqualTo(200);
        POSTGRES.close();
        sleep(1100); // expired, still in Redis

        long start = System.nanoTime();
        HttpResponse<String> stale = send("GET", "/api/top-products");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("X-Cache")).contains("stale");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));

        send("DELETE", "/admin/cache");
        start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(CompletableFuture.supplyAsync(() -> send("GET", "/api/top-products")));
        }
        for (CompletableFuture<HttpResponse<String>> answer : burst) {
            HttpResponse<String> response = answer.join();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("origin_unavailable");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("no thread hangs on a dead database: bounded by the connection timeout and the lock wait")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(send("GET", "/admin/cache").statusCode()).as("the service itself is fine").isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

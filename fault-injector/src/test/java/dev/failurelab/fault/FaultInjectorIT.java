package dev.failurelab.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.fault.proxy.ProxyRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The fault injector over real HTTP: every fault type, TTL, reset, allowlist and bad input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=fault-injector")
class FaultInjectorIT {

    private static final String BODY = "x".repeat(2000);
    private static final AtomicInteger UPSTREAM_HITS = new AtomicInteger();
    private static final DisposableServer UPSTREAM = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> {
                UPSTREAM_HITS.incrementAndGet();
                return response.header("Content-Type", "text/plain").sendString(Mono.just(BODY));
            })
            .bindNow();

    @DynamicPropertySource
    static void proxies(DynamicPropertyRegistry registry) {
        registry.add("fault-injector.allowed-upstreams[0]", () -> "127.0.0.1:" + UPSTREAM.port());
        registry.add("fault-injector.proxies[0].name", () -> "test");
        registry.add("fault-injector.proxies[0].listen", () -> 0);
        registry.add("fault-injector.proxies[0].upstream", () -> "http://127.0.0.1:" + UPSTREAM.port());
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.disposeNow();
    }

    @LocalServerPort
    int controlPort;

    @Autowired
    ProxyRegistry registry;

    // One client for the class: the JDK client can stall when clients come and go between tests.
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void reset() throws Exception {
        assertThat(control("POST", "/reset", null).statusCode()).isEqualTo(200);
        UPSTREAM_HITS.set(0);
    }

    @Test
    void withNoDnsServer_theDnsApiIs404SayingSo() throws Exception {
        HttpResponse<String> response = control("POST", "/dns/faults", "{\"type\":\"servfail\"}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"field\":\"dns\"").contains("fault-injector.dns.port");
    }

    @Test
    void noFault_forwardsStatusAndBody() throws Exception {
        HttpResponse<String> response = viaProxy("/api/chain", Duration.ofSeconds(5));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BODY);
        assertThat(UPSTREAM_HITS.get()).isEqualTo(1);
    }

    @Test
    void errorForwarded_letsTheUpstreamDoTheWork_thenAnswersTheStatus() throws Exception {
        addFault("{\"type\":\"error\",\"status\":503}");
        HttpResponse<String> response = viaProxy("/api/chain", Duration.ofSeconds(5));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Fault-Injected")).hasValueSatisfying(v -> assertThat(v).startsWith("error"));
        assertThat(UPSTREAM_HITS.get()).as("the upstream still served the request").isEqualTo(1);
    }

    @Test
    void errorAtTheProxy_neverReachesTheUpstream() throws Exception {
        addFault("{\"type\":\"error\",\"status\":500,\"mode\":\"proxy\"}");
        assertThat(viaProxy("/", Duration.ofSeconds(5)).statusCode()).isEqualTo(500);
        assertThat(UPSTREAM_HITS.get()).isZero();
    }

    @Test
    void errorWithProbability_failsThatShareOfRequests() throws Exception {
        addFault("{\"type\":\"error\",\"probability\":0.5,\"mode\":\"proxy\"}");
        int failed = 0;
        for (int i = 0; i < 400; i++) {
            try {
                failed += viaProxy("/", Duration.ofSeconds(5)).statusCode() == 503 ? 1 : 0;
            } catch (HttpTimeoutException e) {
                throw new AssertionError("request " + i + " timed out", e);
            }
        }
        assertThat(failed / 400.0).as("failure ratio at probability 0.5").isBetween(0.42, 0.58);
    }

    @Test
    void latency_delaysTheAnswerByAtLeastTheLatency() throws Exception {
        addFault("{\"type\":\"latency\",\"latencyMs\":300}");
        long start = System.nanoTime();
        assertThat(viaProxy("/", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms taken").isGreaterThanOrEqualTo(300);
    }

    @Test
    void reset_closesTheConnectionWithoutAnAnswer() throws Exception {
        addFault("{\"type\":\"reset\"}");
        assertThatThrownBy(() -> viaProxy("/", Duration.ofSeconds(5))).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(UPSTREAM_HITS.get()).isZero();
    }

    @Test
    void blackhole_answersNothingUntilTheClientGivesUp() throws Exception {
        addFault("{\"type\":\"blackhole\",\"holdMs\":10000}");
        assertThatThrownBy(() -> viaProxy("/", Duration.ofMillis(400))).isInstanceOf(HttpTimeoutException.class);
        assertThat(UPSTREAM_HITS.get()).isZero();
    }

    @Test
    void blackhole_isBounded_closingTheConnectionAfterTheHold() throws Exception {
        addFault("{\"type\":\"blackhole\",\"holdMs\":300}");
        long start = System.nanoTime();
        assertThatThrownBy(() -> viaProxy("/", Duration.ofSeconds(20))).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).as("held at least the hold time").isGreaterThanOrEqualTo(300);
    }

    @Test
    void bandwidth_deliversTheBodyAtTheLimitedRate() throws Exception {
        addFault("{\"type\":\"bandwidth\",\"bytesPerSecond\":4000}");
        long start = System.nanoTime();
        HttpResponse<String> response = viaProxy("/", Duration.ofSeconds(10));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.body()).as("body intact").isEqualTo(BODY);
        assertThat(millis).as("2000 bytes at 4000 B/s take at least ~0.4 s").isGreaterThanOrEqualTo(400);
    }

    @Test
    void matchOnPathAndMethod_leavesOtherRequestsAlone() throws Exception {
        addFault("{\"type\":\"error\",\"mode\":\"proxy\",\"path\":\"/api\",\"method\":\"GET\"}");
        assertThat(viaProxy("/api/chain", Duration.ofSeconds(5)).statusCode()).isEqualTo(503);
        assertThat(viaProxy("/actuator/health", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    }

    @Test
    void aFaultWithTtl2s_isGoneAfter3s_withoutAnyoneClearingIt() throws Exception {
        addFault("{\"type\":\"error\",\"mode\":\"proxy\",\"ttl\":\"2s\"}");
        assertThat(viaProxy("/", Duration.ofSeconds(5)).statusCode()).isEqualTo(503);
        assertThat(control("GET", "/faults", null).body()).contains("\"type\":\"error\"", "remainingMs");

        Thread.sleep(3000);

        assertThat(control("GET", "/faults", null).body()).isEqualTo("[]");
        assertThat(viaProxy("/", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(metrics()).contains("fault_active{application=\"fault-injector\",proxy=\"test\",role=\"fault-injector\",type=\"error\"} 0.0");
    }

    @Test
    void reset_clearsEveryFault() throws Exception {
        addFault("{\"type\":\"error\",\"mode\":\"proxy\"}");
        addFault("{\"type\":\"latency\",\"latencyMs\":10}");
        addFault("{\"type\":\"reset\",\"probability\":0.1}");

        HttpResponse<String> reset = control("POST", "/reset", null);

        assertThat(reset.body()).contains("\"cleared\":3");
        assertThat(control("GET", "/faults", null).body()).isEqualTo("[]");
        assertThat(viaProxy("/", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsAddedThroughTheBodyAndDeletedById() throws Exception {
        HttpResponse<String> created = control("POST", "/faults", "{\"proxy\":\"test\",\"type\":\"error\",\"mode\":\"proxy\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"(f\\d+)\".*", "$1");
        assertThat(control("DELETE", "/faults/" + id, null).statusCode()).isEqualTo(204);
        assertThat(control("DELETE", "/faults/" + id, null).statusCode()).isEqualTo(404);
        assertThat(viaProxy("/", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    }

    @Test
    void allowlist_refusesAnUpstreamNotOnIt_andAcceptsOneThatIs() throws Exception {
        HttpResponse<String> refused = control("POST", "/proxies",
                "{\"name\":\"open\",\"listen\":0,\"upstream\":\"http://10.1.2.3:80\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"upstream\"", "allowlist");

        HttpResponse<String> created = control("POST", "/proxies",
                "{\"name\":\"second\",\"listen\":0,\"upstream\":\"http://127.0.0.1:" + UPSTREAM.port() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int port = registry.find("second").orElseThrow().port();
        assertThat(send(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(control("DELETE", "/proxies/second", null).statusCode()).isEqualTo(204);
        assertThat(registry.find("second")).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> 400 naming {3}")
    @CsvSource(delimiter = '|', value = {
            "POST | /proxies/test/faults | {not json                                   | body",
            "POST | /proxies/test/faults | ''                                          | body",
            "POST | /proxies/test/faults | {\"type\":\"meteor\"}                      | type",
            "POST | /proxies/test/faults | {\"type\":\"error\",\"probability\":2}    | probability",
            "POST | /proxies/test/faults | {\"type\":\"latency\",\"latencyMs\":-1}   | latencyMs",
            "POST | /proxies/test/faults | {\"type\":\"reset\",\"ttl\":\"3h\"}       | ttl",
            "POST | /proxies/test/faults | {\"type\":\"error\",\"status\":99}        | status",
            "POST | /proxies/test/faults | {\"type\":\"bandwidth\"}                  | bytesPerSecond",
            "POST | /proxies/test/faults | {\"type\":\"reset\",\"colour\":\"red\"}   | colour",
            "POST | /proxies/nope/faults | {\"type\":\"reset\"}                      | proxy",
            "POST | /faults              | {\"proxy\":\"nope\",\"type\":\"reset\"}   | proxy",
            "POST | /faults              | {\"type\":\"reset\"}                      | proxy",
            "POST | /proxies             | {\"name\":\"Bad Name\",\"upstream\":\"http://127.0.0.1:1\"} | name",
            "POST | /proxies             | {\"name\":\"p\",\"listen\":70000,\"upstream\":\"http://127.0.0.1:1\"} | listen",
            "POST | /proxies             | {\"name\":\"p\",\"upstream\":\"ftp://127.0.0.1:1\"} | upstream",
    })
    void badInput_isA400NamingTheField(String method, String path, String body, String field) throws Exception {
        HttpResponse<String> response = control(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"" + field + "\"", "\"message\":");
    }

    @Test
    void aRemovedProxy_andOneThatFailedToStart_exportNoSeries_andTheLimitsHold() throws Exception {
        String created = control("POST", "/proxies", "{\"name\":\"gone\",\"listen\":0,\"upstream\":\"http://127.0.0.1:"
                + UPSTREAM.port() + "\"}").body();
        assertThat(created).contains("\"name\":\"gone\"");
        assertThat(metrics()).contains("proxy=\"gone\"");
        assertThat(control("DELETE", "/proxies/gone", null).statusCode()).isEqualTo(204);
        assertThat(metrics()).as("the removed proxy's series").doesNotContain("proxy=\"gone\"");

        int taken = registry.find("test").orElseThrow().port();
        HttpResponse<String> failed = control("POST", "/proxies", "{\"name\":\"nobind\",\"listen\":" + taken
                + ",\"upstream\":\"http://127.0.0.1:" + UPSTREAM.port() + "\"}");
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(metrics()).as("a proxy that never ran").doesNotContain("proxy=\"nobind\"");

        for (int i = 0; i < ProxyRegistry.MAX_FAULTS_PER_PROXY; i++) {
            addFault("{\"type\":\"latency\",\"latencyMs\":0,\"ttl\":\"30s\"}");
        }
        HttpResponse<String> oneTooMany = control("POST", "/proxies/test/faults", "{\"type\":\"latency\",\"latencyMs\":0}");
        assertThat(oneTooMany.statusCode()).isEqualTo(400);
        assertThat(oneTooMany.body()).contains("its maximum");
        HttpResponse<String> oversized = control("POST", "/proxies/test/faults",
                "{\"type\":\"reset\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
        assertThat(oversized.statusCode()).isEqualTo(400);
        assertThat(oversized.body()).contains("\"field\":\"body\"");
    }

    @Test
    void reset_releasesTheRequestsAFaultIsDelayingOrHolding() throws Exception {
        addFault("{\"type\":\"latency\",\"latencyMs\":30000,\"path\":\"/slow\"}");
        addFault("{\"type\":\"blackhole\",\"holdMs\":30000,\"path\":\"/held\"}");
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> delayed = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return viaProxy("/slow", Duration.ofSeconds(40));
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        java.util.concurrent.CompletableFuture<Object> heldRequest = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return viaProxy("/held", Duration.ofSeconds(40));
                    } catch (Exception e) {
                        return e;
                    }
                });
        Thread.sleep(1000);
        assertThat(control("POST", "/reset", null).body()).contains("\"cleared\":2");

        HttpResponse<String> released = delayed.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(released.statusCode()).as("the delayed request went on").isEqualTo(200);
        // The held one was closed; the JDK client retries a GET on a closed connection, which now passes.
        assertThat(heldRequest.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the held one ended")
                .satisfiesAnyOf(ended -> assertThat(ended).isInstanceOf(java.io.IOException.class),
                        ended -> assertThat(((HttpResponse<?>) ended).statusCode()).isEqualTo(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("long before the faults' 30 s")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unknownProxyInAPath_isA404() throws Exception {
        assertThat(control("GET", "/proxies/nope", null).statusCode()).isEqualTo(404);
        assertThat(control("DELETE", "/proxies/nope/faults", null).statusCode()).isEqualTo(404);
    }

    @Test
    void meters_countRequestsByOutcome_andFaultsByType() throws Exception {
        addFault("{\"type\":\"error\",\"mode\":\"proxy\",\"ttl\":\"1s\"}");
        viaProxy("/", Duration.ofSeconds(5));

        String metrics = metrics();

        assertThat(metrics).containsPattern("fault_proxy_requests_total\\{application=\"fault-injector\",outcome=\"error\",proxy=\"test\",role=\"fault-injector\"} [1-9]");
        assertThat(metrics).containsPattern("fault_injected_total\\{application=\"fault-injector\",proxy=\"test\",role=\"fault-injector\",type=\"error\"} [1-9]");
        assertThat(metrics).contains("fault_active{", "fault_upstream_latency_seconds_bucket{");
    }

    private void addFault(String body) throws Exception {
        HttpResponse<String> response = control("POST", "/proxies/test/faults", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private HttpResponse<String> viaProxy(String path, Duration timeout) throws Exception {
        int port = registry.find("test").orElseThrow().port();
        return send(URI.create("http://127.0.0.1:" + port + path), timeout);
    }

    private HttpResponse<String> send(URI uri, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                .method(method, publisher).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String metrics() throws Exception {
        return control("GET", "/actuator/prometheus", null).body();
    }
}

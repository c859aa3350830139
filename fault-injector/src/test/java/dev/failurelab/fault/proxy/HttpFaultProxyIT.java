package dev.failurelab.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.FaultMetricNames;
import dev.failurelab.fault.rule.FaultTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The proxy's forwarding itself, against a real upstream: connection reuse, headers, bodies,
 * pipelined requests answered in order, and each way an upstream can fail (down, too slow,
 * closing mid-request) answered with the right status.
 */
class HttpFaultProxyIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger upstreamConnections = new AtomicInteger();
    private final List<Map<String, String>> seenHeaders = new CopyOnWriteArrayList<>();
    private final Map<String, String> seenBodies = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private DisposableServer upstream;
    private HttpFaultProxy proxy;

    private DisposableServer startUpstream() {
        return startUpstream(HttpServer.create());
    }

    private DisposableServer startUpstream(HttpServer server) {
        return server.host("127.0.0.1").port(0)
                .doOnChannelInit((observer, channel, address) -> upstreamConnections.incrementAndGet())
                .handle((request, response) -> {
                    Map<String, String> headers = new ConcurrentHashMap<>();
                    request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                    seenHeaders.add(headers);
                    if (request.uri().startsWith("/slow")) {
                        return Mono.delay(Duration.ofSeconds(3)).then(response.sendString(Mono.just("late")).then());
                    }
                    if (request.uri().startsWith("/drop")) {
                        response.withConnection(c -> c.channel().close());
                        return Mono.never();
                    }
                    return request.receive().aggregate().asString().defaultIfEmpty("")
                            .flatMap(body -> {
                                seenBodies.put(request.uri(), body);
                                return response.header("Content-Type", "text/plain")
                                        .header("X-Upstream", "yes")
                                        .sendString(Mono.just(request.method().name() + " " + request.uri() + " "
                                                + body.length()))
                                        .then();
                            });
                })
                .bindNow();
    }

    private HttpFaultProxy proxyTo(URI target, Duration timeout) {
        FaultTable table = new FaultTable(Clock.systemUTC(), Math::random, (rule, reason) -> { });
        return new HttpFaultProxy("it", "127.0.0.1", 0, target, timeout, table, meters);
    }

    @Test
    void clients_anIdleConnectionIsClosed_andPastTheCapNewOnesAreRefused() throws Exception {
        upstream = startUpstream();
        FaultTable table = new FaultTable(Clock.systemUTC(), Math::random, (rule, reason) -> { });
        proxy = new HttpFaultProxy("limits", "127.0.0.1", 0, URI.create("http://127.0.0.1:" + upstream.port()),
                Duration.ofSeconds(5), table, meters, 1, 2);
        try (java.net.Socket first = new java.net.Socket("127.0.0.1", proxy.port());
                java.net.Socket second = new java.net.Socket("127.0.0.1", proxy.port())) {
            Thread.sleep(200);
            try (java.net.Socket third = new java.net.Socket("127.0.0.1", proxy.port())) {
                third.setSoTimeout(2000);
                assertThat(third.getInputStream().read()).as("past the cap: closed at once").isEqualTo(-1);
            }
            first.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(first.getInputStream().read()).as("an idle connection: closed").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            // A slowloris: one header byte every 200 ms never completes a request, and is closed too.
            second.setSoTimeout(5000);
            java.io.OutputStream out = second.getOutputStream();
            boolean closed = false;
            long trickle = System.nanoTime();
            for (byte b : "GET /slowloris HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII)) {
                try {
                    out.write(b);
                    out.flush();
                    Thread.sleep(200);
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
            }
            assertThat(closed || second.getInputStream().read() == -1).as("the trickling connection was closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - trickle)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.disposeNow();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private double outcome(String outcome) {
        return meters.get(FaultMetricNames.PROXY_REQUESTS).tag(FaultMetricNames.OUTCOME, outcome).counter().count();
    }

    @Test
    void keepsUpstreamConnectionsAlive_andForwardsHeadersAndBodies() throws Exception {
        upstream = startUpstream();
        proxy = proxyTo(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofSeconds(2));
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = get("/api/chain?i=" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("GET /api/chain?i=" + i + " 0");
            assertThat(response.headers().firstValue("X-Upstream")).hasValue("yes");
        }
        assertThat(upstreamConnections.get()).as("upstream connections for 50 sequential requests").isLessThanOrEqualTo(2);
        assertThat(outcome("forwarded")).isEqualTo(50);

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/post"))
                .header("X-Custom", "kept").POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.body()).isEqualTo("POST /post 5000");
        assertThat(seenBodies.get("/post")).hasSize(5000);
        Map<String, String> headers = seenHeaders.get(seenHeaders.size() - 1);
        assertThat(headers).containsEntry("x-custom", "kept").containsEntry("host", "127.0.0.1:" + upstream.port());
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        upstream = startUpstream();
        proxy = proxyTo(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofSeconds(2));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            String two = "GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(two.getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            String answers = readAll(socket.getInputStream());
            assertThat(answers).contains("GET /first 0", "GET /second 0");
            assertThat(answers.indexOf("GET /first 0")).isLessThan(answers.indexOf("GET /second 0"));
        }
    }

    @Test
    void anOversizedPipelinedRequest_isAnswered413InItsTurn_notBeforeTheOneAheadOfIt() throws Exception {
        upstream = startUpstream();
        proxy = proxyTo(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofSeconds(5));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            byte[] big = new byte[HttpFaultProxy.MAX_REQUEST_BODY + 1000];
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(big);
            socket.getOutputStream().write(out.toByteArray());
            socket.setSoTimeout(10_000);
            String answers = readAll(socket.getInputStream());
            int first = answers.indexOf("late"); // the slow answer, 3 s in the making
            int tooLarge = answers.indexOf("HTTP/1.1 413");
            assertThat(first).as(answers).isNotNegative();
            assertThat(tooLarge).as(answers).isGreaterThan(first);
        }
    }

    @Test
    void upstreamDown_answers502() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        proxy = proxyTo(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2));
        HttpResponse<String> response = get("/api/chain");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("upstream unreachable");
        assertThat(outcome("upstream_error")).isEqualTo(1);
    }

    @Test
    void upstreamTooSlow_answers504_andTheNextRequestStillGoesThrough() throws Exception {
        upstream = startUpstream();
        proxy = proxyTo(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofMillis(500));
        long start = System.nanoTime();
        HttpResponse<String> response = get("/slow");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("upstream timed out");
        assertThat(tookMs).as("ms until the 504").isBetween(450L, 2_500L);
        assertThat(outcome("upstream_timeout")).isEqualTo(1);
        assertThat(get("/after").statusCode()).isEqualTo(200);
    }

    @Test
    void upstreamClosingMidRequest_answers502() throws Exception {
        upstream = startUpstream();
        proxy = proxyTo(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofSeconds(2));
        HttpResponse<String> response = get("/drop");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("upstream closed the connection");
        assertThat(get("/after").statusCode()).isEqualTo(200);
    }

    @Test
    void upstreamClosingIdleConnections_isNotAFailure() throws Exception {
        // The upstream drops connections idle for 300 ms: the proxy must not send on a dead one.
        upstream = startUpstream(HttpServer.create().idleTimeout(Duration.ofMillis(300)));
        proxy = proxyTo(URI.create("http://127.0.0.1:" + upstream.port()), Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/chain?i=" + i).statusCode()).isEqualTo(200);
            Thread.sleep(600);
        }
        assertThat(outcome("upstream_error")).isZero();
        assertThat(upstreamConnections.get()).as("a new connection after each idle drop").isEqualTo(3);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}

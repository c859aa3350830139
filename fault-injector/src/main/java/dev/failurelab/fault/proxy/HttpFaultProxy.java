package dev.failurelab.fault.proxy;

import dev.failurelab.fault.FaultMetricNames;
import dev.failurelab.fault.rule.FaultPlan;
import dev.failurelab.fault.rule.FaultRule;
import dev.failurelab.fault.rule.FaultTable;
import dev.failurelab.fault.rule.FaultType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * One named HTTP proxy: listens on its own port, forwards to one upstream, and applies the faults
 * of its {@link FaultTable} to each request.
 *
 * <p>Concurrency: non-blocking. Every request is handled on a Reactor Netty event loop; delays,
 * holds and throttled bodies are timers, never sleeps, so a fault on one request never slows
 * another. Bodies are small (the chain's JSON), so each is aggregated once rather than streamed.
 */
public final class HttpFaultProxy implements AutoCloseable {

    static final String INJECTED_HEADER = "X-Fault-Injected";
    private static final byte[] EMPTY = new byte[0];
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");
    private static final Duration BANDWIDTH_TICK = Duration.ofMillis(100);

    private final String name;
    private final URI upstream;
    private final FaultTable faults;
    private final ConnectionProvider connections;
    private final DisposableServer server;
    private final HttpClient client;
    private final Timer upstreamLatency;
    private final Map<String, Counter> outcomes = new HashMap<>();
    private final Map<FaultType, Counter> injected = new HashMap<>();

    HttpFaultProxy(String name, String listenAddress, int listenPort, URI upstream, Duration upstreamTimeout,
            FaultTable faults, MeterRegistry registry) {
        this.name = name;
        this.upstream = upstream;
        this.faults = faults;
        for (String outcome : List.of("forwarded", "error", "reset", "blackhole", "upstream_error",
                "upstream_timeout")) {
            outcomes.put(outcome, Counter.builder(FaultMetricNames.PROXY_REQUESTS)
                    .description("Requests through a fault proxy, by outcome")
                    .tag(FaultMetricNames.PROXY, name).tag(FaultMetricNames.OUTCOME, outcome)
                    .register(registry));
        }
        for (FaultType type : FaultType.values()) {
            injected.put(type, Counter.builder(FaultMetricNames.INJECTED)
                    .description("Faults that fired on a request")
                    .tag(FaultMetricNames.PROXY, name).tag(FaultMetricNames.TYPE, type.id())
                    .register(registry));
        }
        this.upstreamLatency = Timer.builder(FaultMetricNames.UPSTREAM_LATENCY)
                .description("Round trip to the upstream, as seen by the proxy")
                .tag(FaultMetricNames.PROXY, name)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.connections = ConnectionProvider.builder("fault-proxy-" + name)
                .maxConnections(2048)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.client = HttpClient.create(connections)
                .baseUrl(upstream.toString())
                .responseTimeout(upstreamTimeout)
                .keepAlive(true);
        this.server = HttpServer.create()
                .host(listenAddress)
                .port(listenPort)
                .handle(this::handle)
                .bindNow(Duration.ofSeconds(10));
    }

    public String name() {
        return name;
    }

    public URI upstream() {
        return upstream;
    }

    public FaultTable faults() {
        return faults;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return server.port();
    }

    public String listenAddress() {
        return server.host();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        FaultPlan plan = faults.plan(request.method().name(), pathOf(request.uri()));
        for (FaultRule rule : plan.triggered()) {
            injected.get(rule.spec().type()).increment();
        }
        Mono<Void> delay = plan.delayMs() > 0 ? Mono.delay(Duration.ofMillis(plan.delayMs())).then() : Mono.empty();
        return delay.then(Mono.defer(() -> switch (plan.action()) {
            case RESET -> reset(response);
            case BLACKHOLE -> blackhole(response, plan.holdMs());
            case ERROR -> error(response, plan.errorStatus(), "proxy");
            case FORWARD -> forward(request, response, plan);
        }));
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private Mono<Void> reset(HttpServerResponse response) {
        outcomes.get("reset").increment();
        response.withConnection(connection -> {
            // SO_LINGER 0 makes close() send a TCP RST instead of a FIN: the client sees a reset.
            connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            connection.channel().close();
        });
        return Mono.empty();
    }

    private Mono<Void> blackhole(HttpServerResponse response, long holdMs) {
        outcomes.get("blackhole").increment();
        // Hold without answering; if the client gives up first, Reactor Netty cancels this timer.
        return Mono.delay(Duration.ofMillis(holdMs))
                .then(Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close())));
    }

    private Mono<Void> error(HttpServerResponse response, int status, String mode) {
        outcomes.get("error").increment();
        byte[] body = ("{\"error\":\"fault_injected\",\"proxy\":\"" + name + "\",\"status\":" + status
                + ",\"mode\":\"" + mode + "\"}").getBytes(StandardCharsets.UTF_8);
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length))
                .header(INJECTED_HEADER, "error; proxy=" + name)
                .sendByteArray(Mono.just(body))
                .then();
    }

    private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response, FaultPlan plan) {
        return request.receive().aggregate().asByteArray().defaultIfEmpty(EMPTY).flatMap(body -> {
            long start = System.nanoTime();
            HttpClient.RequestSender sender = client
                    .headers(h -> copyHeaders(request.requestHeaders(), h))
                    .request(request.method())
                    .uri(request.uri());
            HttpClient.ResponseReceiver<?> receiver = body.length == 0 ? sender
                    : sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
            return receiver.responseSingle((upstreamResponse, content) -> content.asByteArray()
                            .defaultIfEmpty(EMPTY)
                            .map(bytes -> new UpstreamAnswer(upstreamResponse.status().code(),
                                    upstreamResponse.responseHeaders(), bytes)))
                    .flatMap(answer -> {
                        upstreamLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        if (plan.failsAfterForwarding()) {
                            return error(response, plan.errorStatus(), "forwarded");
                        }
                        outcomes.get("forwarded").increment();
                        return relay(response, answer, plan.bytesPerSecond());
                    })
                    .onErrorResume(e -> upstreamFailure(response, e));
        });
    }

    private Mono<Void> relay(HttpServerResponse response, UpstreamAnswer answer, long bytesPerSecond) {
        response.status(answer.status());
        copyHeaders(answer.headers(), response.responseHeaders());
        response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(answer.body().length));
        if (bytesPerSecond <= 0 || answer.body().length == 0) {
            return response.sendByteArray(Mono.just(answer.body())).then();
        }
        response.header(INJECTED_HEADER, "bandwidth; proxy=" + name);
        return response.sendByteArray(throttled(answer.body(), bytesPerSecond)).then();
    }

    /** The body in slices, one per tick, so that it arrives at {@code bytesPerSecond}. */
    private static Flux<byte[]> throttled(byte[] body, long bytesPerSecond) {
        int slice = (int) Math.max(1, Math.min(body.length, bytesPerSecond * BANDWIDTH_TICK.toMillis() / 1000));
        List<byte[]> slices = new ArrayList<>();
        for (int offset = 0; offset < body.length; offset += slice) {
            slices.add(java.util.Arrays.copyOfRange(body, offset, Math.min(body.length, offset + slice)));
        }
        return Flux.fromIterable(slices).delayElements(BANDWIDTH_TICK);
    }

    private Mono<Void> upstreamFailure(HttpServerResponse response, Throwable e) {
        boolean timeout = e instanceof ReadTimeoutException || e instanceof TimeoutException
                || e.getCause() instanceof ReadTimeoutException;
        outcomes.get(timeout ? "upstream_timeout" : "upstream_error").increment();
        int status = timeout ? 504 : 502;
        String reason = e instanceof PrematureCloseException ? "upstream closed the connection"
                : timeout ? "upstream timed out" : "upstream unreachable";
        byte[] body = ("{\"error\":\"upstream_failed\",\"proxy\":\"" + name + "\",\"reason\":\"" + reason + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length))
                .sendByteArray(Mono.just(body))
                .then();
    }

    private static void copyHeaders(HttpHeaders from, HttpHeaders to) {
        from.forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    /** Stops listening and closes upstream connections. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        connections.disposeLater().block(Duration.ofSeconds(5));
    }

    private record UpstreamAnswer(int status, HttpHeaders headers, byte[] body) {
    }
}

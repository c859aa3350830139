package dev.failurelab.fault.proxy;

import dev.failurelab.contract.FaultMetricNames;
import dev.failurelab.fault.rule.FaultPlan;
import dev.failurelab.fault.rule.FaultRule;
import dev.failurelab.fault.rule.FaultTable;
import dev.failurelab.fault.rule.FaultType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One named HTTP proxy: listens on its own port, forwards to one upstream, and applies the faults
 * of its {@link FaultTable} to each request.
 *
 * <p>Built on Netty handlers directly, the way a production reverse proxy is: each client
 * connection is served on one event loop, and its requests go to the upstream over kept-alive
 * connections pooled per event loop, so a request never changes threads and never takes a lock.
 * Requests on one client connection are answered in order, one at a time (pipelined ones wait in
 * a bounded queue). Delays, holds, upstream timeouts and throttled bodies are event-loop
 * timers, never sleeps, so a fault on one request never slows another. Bodies are aggregated
 * (up to 16 MiB; the chain's are small JSON).
 *
 * <p>{@code ./bench proxy} measures what this costs a request against nginx.
 */
public final class HttpFaultProxy implements AutoCloseable {

    static final String INJECTED_HEADER = "X-Fault-Injected";
    /** The largest upstream answer buffered. */
    private static final int MAX_BODY = 16 * 1024 * 1024;
    /** The largest client request buffered: the labs' requests are bodiless or tiny (413 past it). */
    static final int MAX_REQUEST_BODY = 1024 * 1024;
    /**
     * A client connection that does not complete a request within this long of the previous answer
     * (or of connecting) is closed: an idle keep-alive, or a slowloris that trickles its headers.
     */
    static final int CLIENT_IDLE_SECONDS = 75;
    /** The most client connections one proxy holds at once; past it, new ones are closed at once. */
    static final int MAX_CLIENT_CONNECTIONS = 4096;
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.HOST,
            HttpHeaderNames.CONTENT_LENGTH);
    private static final long BANDWIDTH_TICK_MS = 100;
    /** Idle upstream connections kept per event loop. */
    private static final int MAX_IDLE_PER_LOOP = 256;
    /** An upstream connection idle for longer is not reused (servers close idle ones after 5-60 s). */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(4);
    /** Requests a client may send ahead (HTTP/1.1 pipelining) before the proxy stops reading. */
    private static final int MAX_PIPELINED = 16;
    /** On an upstream connection: the exchange waiting for its answer. */
    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("failurelab.exchange");

    private final String name;
    private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
    /** Requests a fault is delaying or holding now, each with what ends it early (see {@link #clearFaults}). */
    private final java.util.Set<Runnable> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final URI upstream;
    private final String upstreamHost;
    private final long upstreamTimeoutMs;
    private final FaultTable faults;
    private final EventLoopGroup loops;
    private final Channel server;
    private final Bootstrap upstreamBootstrap;
    /** Idle upstream connections of the current event loop (each loop has its own: no sharing, no lock). */
    private final FastThreadLocal<ArrayDeque<Idle>> idle = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Idle> initialValue() {
            return new ArrayDeque<>();
        }
    };
    private final Timer upstreamLatency;
    private final Map<String, Counter> outcomes = new HashMap<>();
    private final Map<FaultType, Counter> injected = new EnumMap<>(FaultType.class);

    HttpFaultProxy(String name, String listenAddress, int listenPort, URI upstream, Duration upstreamTimeout,
            FaultTable faults, MeterRegistry registry) {
        this(name, listenAddress, listenPort, upstream, upstreamTimeout, faults, registry, CLIENT_IDLE_SECONDS,
                MAX_CLIENT_CONNECTIONS);
    }

    /** With its client limits given (tests shorten them). */
    HttpFaultProxy(String name, String listenAddress, int listenPort, URI upstream, Duration upstreamTimeout,
            FaultTable faults, MeterRegistry registry, int clientIdleSeconds, int maxClientConnections) {
        this.name = name;
        this.upstream = upstream;
        int upstreamPort = upstream.getPort() > 0 ? upstream.getPort() : 80;
        this.upstreamHost = upstream.getHost() + ":" + upstreamPort;
        this.upstreamTimeoutMs = upstreamTimeout.toMillis();
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

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> serverChannel = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("fault-proxy-" + name, true), io);
        this.upstreamBootstrap = new Bootstrap()
                .channel(clientChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(upstreamTimeoutMs, 10_000))
                .remoteAddress(upstream.getHost(), upstreamPort)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY),
                                new UpstreamHandler());
                    }
                });
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (clients.incrementAndGet() > maxClientConnections) {
                            clients.decrementAndGet();
                            channel.close();
                            return;
                        }
                        channel.closeFuture().addListener(closed -> clients.decrementAndGet());
                        channel.pipeline().addLast(new HttpServerCodec(), new InOrderAggregator(MAX_REQUEST_BODY),
                                new ClientHandler(clientIdleSeconds));
                    }
                });
        var bound = bootstrap.bind(new InetSocketAddress(listenAddress, listenPort)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw new IllegalStateException(String.valueOf(bound.cause().getMessage()), bound.cause());
        }
        this.server = bound.channel();
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
    /**
     * Clears every fault and ends what they are doing to requests in flight: a delayed request goes
     * on at once, a held one is closed, so a cleared fault does not outlive its clearing.
     *
     * @return how many faults were cleared
     */
    public int clearFaults(String reason) {
        int cleared = faults.clear(reason);
        for (Runnable release : java.util.List.copyOf(held)) {
            held.remove(release);
            release.run();
        }
        return cleared;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String listenAddress() {
        return ((InetSocketAddress) server.localAddress()).getHostString();
    }

    /** Stops listening, closes every connection and stops the event loops. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * The path a fault's prefix is matched against, as the upstream will understand it: the path of
     * an absolute-form target, percent-decoded, dot segments resolved. So {@code /%61ctuator/x},
     * {@code /x/../actuator/y} and {@code http://h/actuator/y} all match a fault on {@code /actuator}.
     */
    static String pathOf(String uri) {
        String target = uri;
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int end = target.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = target.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String decoded = percentDecode(target.substring(0, end));
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.equals(".") && !segment.isEmpty()) {
                segments.addLast(segment);
            }
        }
        String path = "/" + String.join("/", segments);
        return decoded.endsWith("/") && !path.equals("/") ? path + "/" : path;
    }

    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * The request aggregator, except that an oversized request is not answered here at once (which
     * would overtake the answers to requests pipelined before it): it goes on to the handler as an
     * empty request marked too long, to be answered 413, in its turn, then the connection closed.
     */
    private static final class InOrderAggregator extends HttpObjectAggregator {

        InOrderAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized)
                throws Exception {
            if (oversized instanceof io.netty.handler.codec.http.HttpRequest request) {
                DefaultFullHttpRequest marker = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                        request.uri());
                marker.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(
                        new io.netty.handler.codec.TooLongFrameException("request body over " + MAX_REQUEST_BODY
                                + " bytes")));
                ctx.fireChannelRead(marker);
            } else {
                super.handleOversizedMessage(ctx, oversized);
            }
        }
    }

    /**
     * Serves one client connection: its requests one at a time, in order, each by its fault plan.
     * Reading pauses while one is in flight; requests already read (pipelined) wait in a queue.
     */
    private final class ClientHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
        private final long idleSeconds;
        private boolean busy;
        /** Closes the connection unless a whole request arrives in time. */
        private ScheduledFuture<?> awaiting;

        ClientHandler(long idleSeconds) {
            super(false); // the request's body is released where it is used
            this.idleSeconds = idleSeconds;
        }

        private void awaitNext(ChannelHandlerContext ctx) {
            awaiting = ctx.executor().schedule(() -> {
                ctx.close();
            }, idleSeconds, TimeUnit.SECONDS);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            awaitNext(ctx);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (awaiting != null) {
                awaiting.cancel(false);
                awaiting = null;
            }
            if (busy) {
                waiting.addLast(request);
                if (waiting.size() >= MAX_PIPELINED) {
                    // Back-pressure on a client that pipelines far ahead. (Not toggled per request:
                    // each toggle is a system call.)
                    ctx.channel().config().setAutoRead(false);
                }
                return;
            }
            busy = true;
            serve(ctx, request);
        }

        /** The answer to the current request is written: take the next one, or read on. */
        void done(ChannelHandlerContext ctx) {
            FullHttpRequest next = waiting.pollFirst();
            if (!ctx.channel().config().isAutoRead() && waiting.size() < MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(true);
            }
            if (next != null) {
                serve(ctx, next);
                return;
            }
            busy = false;
            if (ctx.channel().isActive()) {
                awaitNext(ctx);
            }
        }

        private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                boolean tooLarge = request.decoderResult().cause() instanceof io.netty.handler.codec.TooLongFrameException;
                request.release();
                respond(ctx, plain(tooLarge ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
                        "{\"error\":\"" + (tooLarge ? "too_large" : "bad_request") + "\",\"proxy\":\"" + name + "\"}",
                        null), false);
                return;
            }
            FaultPlan plan = faults.plan(request.method().name(), pathOf(request.uri()));
            for (FaultRule rule : plan.triggered()) {
                injected.get(rule.spec().type()).increment();
            }
            if (plan.delayMs() > 0) {
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                Runnable[] release = new Runnable[1];
                ScheduledFuture<?> delayed = ctx.executor().schedule(() -> {
                    if (done.compareAndSet(false, true)) {
                        held.remove(release[0]);
                        act(ctx, request, plan, keepAlive);
                    }
                }, plan.delayMs(), TimeUnit.MILLISECONDS);
                // Cleared early: the request goes on at once, as if no fault had matched it.
                release[0] = () -> ctx.executor().execute(() -> {
                    if (done.compareAndSet(false, true)) {
                        delayed.cancel(false);
                        act(ctx, request, FaultPlan.PASS_THROUGH, keepAlive);
                    }
                });
                held.add(release[0]);
            } else {
                act(ctx, request, plan, keepAlive);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (awaiting != null) {
                awaiting.cancel(false);
            }
            FullHttpRequest request;
            while ((request = waiting.pollFirst()) != null) {
                request.release();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void act(ChannelHandlerContext ctx, FullHttpRequest request, FaultPlan plan, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            request.release(); // the client left during the delay
            return;
        }
        switch (plan.action()) {
            case RESET -> {
                request.release();
                outcomes.get("reset").increment();
                // SO_LINGER 0 makes close() send a TCP RST instead of a FIN: the client sees a reset.
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.close();
            }
            case BLACKHOLE -> {
                request.release();
                outcomes.get("blackhole").increment();
                // Hold without answering; if the client gives up first, the timer goes with it.
                ScheduledFuture<?> hold = ctx.executor().schedule(() -> ctx.close(), plan.holdMs(),
                        TimeUnit.MILLISECONDS);
                Runnable release = () -> ctx.executor().execute(ctx::close); // cleared early: the hold ends now
                held.add(release);
                ctx.channel().closeFuture().addListener(closed -> {
                    hold.cancel(false);
                    held.remove(release);
                });
            }
            case ERROR -> {
                request.release();
                respond(ctx, injectedError(plan.errorStatus(), "proxy"), keepAlive);
            }
            case FORWARD -> forward(ctx, request, plan, keepAlive);
        }
    }

    private FullHttpResponse injectedError(int status, String mode) {
        outcomes.get("error").increment();
        return plain(HttpResponseStatus.valueOf(status), "{\"error\":\"fault_injected\",\"proxy\":\"" + name
                + "\",\"status\":" + status + ",\"mode\":\"" + mode + "\"}", "error; proxy=" + name);
    }

    private static FullHttpResponse plain(HttpResponseStatus status, String json, String injectedHeader) {
        ByteBuf body = Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (injectedHeader != null) {
            response.headers().set(INJECTED_HEADER, injectedHeader);
        }
        return response;
    }

    /** Writes the answer, then reads the connection's next request or (not kept alive) closes it. */
    private static void respond(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response).addListener(written -> next(ctx, keepAlive, written.isSuccess()));
    }

    private static void next(ChannelHandlerContext ctx, boolean keepAlive, boolean written) {
        if (keepAlive && written) {
            ((ClientHandler) ctx.handler()).done(ctx);
        } else {
            ctx.close();
        }
    }

    /** One request forwarded upstream, waiting for its answer on the upstream connection. */
    private final class Exchange {
        final ChannelHandlerContext client;
        final FaultPlan plan;
        final boolean keepAlive;
        final boolean head;
        final long start = System.nanoTime();
        ScheduledFuture<?> timeout;
        Channel upstream;

        Exchange(ChannelHandlerContext client, FaultPlan plan, boolean keepAlive, boolean head) {
            this.client = client;
            this.plan = plan;
            this.keepAlive = keepAlive;
            this.head = head;
        }
    }

    private void forward(ChannelHandlerContext ctx, FullHttpRequest request, FaultPlan plan, boolean keepAlive) {
        FullHttpRequest outbound = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
                request.content());
        copyHeaders(request.headers(), outbound.headers());
        outbound.headers().set(HttpHeaderNames.HOST, upstreamHost);
        if (request.content().isReadable() || !(request.method().equals(HttpMethod.GET)
                || request.method().equals(HttpMethod.HEAD))) {
            outbound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        }
        Exchange exchange = new Exchange(ctx, plan, keepAlive, request.method().equals(HttpMethod.HEAD));
        EventLoop loop = ctx.channel().eventLoop();
        exchange.timeout = loop.schedule(() -> timedOut(exchange), upstreamTimeoutMs, TimeUnit.MILLISECONDS);
        Channel pooled = pooledConnection();
        if (pooled != null) {
            send(pooled, exchange, outbound);
            return;
        }
        upstreamBootstrap.clone(loop).connect().addListener((ChannelFutureListener) connected -> {
            if (connected.isSuccess()) {
                send(connected.channel(), exchange, outbound);
            } else {
                outbound.release();
                if (exchange.timeout.cancel(false)) {
                    upstreamFailure(exchange, false, "upstream unreachable");
                }
            }
        });
    }

    /** An upstream connection waiting in the pool since {@code sinceNanos}. */
    private record Idle(Channel channel, long sinceNanos) {
    }

    /**
     * An idle kept-alive upstream connection of this event loop, or null. One idle for longer
     * than {@link #MAX_IDLE_NANOS} is closed instead: its upstream may be closing it at this very
     * moment (servers drop idle connections after a timeout), and a request sent on it would fail.
     */
    private Channel pooledConnection() {
        ArrayDeque<Idle> connections = idle.get();
        long now = System.nanoTime();
        Idle pooled;
        while ((pooled = connections.pollLast()) != null) {
            if (!pooled.channel().isActive()) {
                continue;
            }
            if (now - pooled.sinceNanos() < MAX_IDLE_NANOS) {
                return pooled.channel();
            }
            pooled.channel().close();
        }
        return null;
    }

    private void send(Channel upstreamChannel, Exchange exchange, FullHttpRequest outbound) {
        if (exchange.timeout.isDone()) {
            // Timed out while connecting: this connection is not needed now.
            outbound.release();
            release(upstreamChannel);
            return;
        }
        exchange.upstream = upstreamChannel;
        upstreamChannel.attr(EXCHANGE).set(exchange);
        upstreamChannel.writeAndFlush(outbound).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                written.channel().close(); // channelInactive answers the client
            }
        });
    }

    private void timedOut(Exchange exchange) {
        // Its upstream connection (if it got one) is busy with a request nobody waits for: drop it.
        if (exchange.upstream != null) {
            exchange.upstream.close();
        }
        upstreamFailure(exchange, true, "upstream timed out");
    }

    private void release(Channel upstreamChannel) {
        ArrayDeque<Idle> connections = idle.get();
        if (!upstreamChannel.isActive()) {
            return;
        }
        if (connections.size() >= MAX_IDLE_PER_LOOP) {
            upstreamChannel.close(); // after a burst, keep no more than nginx's "keepalive 256"
            return;
        }
        connections.addLast(new Idle(upstreamChannel, System.nanoTime()));
    }

    /** Reads answers from one upstream connection and hands each to the exchange waiting on it. */
    private final class UpstreamHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        UpstreamHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (exchange == null || !exchange.timeout.cancel(false)) {
                // An answer after its timeout (already answered 504), or one nobody asked for.
                response.release();
                ctx.close();
                return;
            }
            upstreamLatency.record(System.nanoTime() - exchange.start, TimeUnit.NANOSECONDS);
            if (HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess()) {
                release(ctx.channel());
            } else {
                ctx.close();
            }
            if (!response.decoderResult().isSuccess()) {
                response.release();
                upstreamFailure(exchange, false, "upstream answered malformed HTTP");
                return;
            }
            if (exchange.plan.failsAfterForwarding()) {
                response.release();
                respond(exchange.client, injectedError(exchange.plan.errorStatus(), "forwarded"), exchange.keepAlive);
                return;
            }
            outcomes.get("forwarded").increment();
            relay(exchange, response);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (exchange != null && exchange.timeout.cancel(false)) {
                upstreamFailure(exchange, false, "upstream closed the connection");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // channelInactive answers the client, if one is waiting
        }
    }

    private void relay(Exchange exchange, FullHttpResponse upstreamResponse) {
        ByteBuf body = upstreamResponse.content();
        HttpHeaders headers = upstreamResponse.headers();
        long bytesPerSecond = exchange.plan.bytesPerSecond();
        HttpResponse head;
        if (bytesPerSecond <= 0 || !body.isReadable()) {
            head = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, upstreamResponse.status(), body);
        } else {
            head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, upstreamResponse.status());
            head.headers().set(INJECTED_HEADER, "bandwidth; proxy=" + name);
        }
        copyHeaders(headers, head.headers());
        String headLength = exchange.head ? headers.get(HttpHeaderNames.CONTENT_LENGTH) : null;
        if (headLength != null) {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, headLength); // a HEAD answer: the GET's length
        } else {
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        if (head instanceof FullHttpResponse) {
            respond(exchange.client, head, exchange.keepAlive);
            return;
        }
        ChannelHandlerContext ctx = exchange.client;
        if (!exchange.keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(head);
        int slice = (int) Math.max(1, Math.min(body.readableBytes(), bytesPerSecond * BANDWIDTH_TICK_MS / 1000));
        throttle(exchange, body, slice);
    }

    /** Sends the next {@code slice} bytes of {@code body} one tick from now, and so on to the end. */
    private void throttle(Exchange exchange, ByteBuf body, int slice) {
        ChannelHandlerContext ctx = exchange.client;
        ctx.executor().schedule(() -> {
            if (!ctx.channel().isActive()) {
                body.release();
                return;
            }
            int size = Math.min(slice, body.readableBytes());
            ByteBuf part = body.readRetainedSlice(size);
            if (body.isReadable()) {
                ctx.writeAndFlush(new DefaultHttpContent(part));
                throttle(exchange, body, slice);
            } else {
                body.release();
                ctx.writeAndFlush(new DefaultLastHttpContent(part))
                        .addListener(written -> next(ctx, exchange.keepAlive, written.isSuccess()));
            }
        }, BANDWIDTH_TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void upstreamFailure(Exchange exchange, boolean timeout, String reason) {
        outcomes.get(timeout ? "upstream_timeout" : "upstream_error").increment();
        HttpResponseStatus status = timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY;
        if (exchange.client.channel().isActive()) {
            respond(exchange.client, plain(status, "{\"error\":\"upstream_failed\",\"proxy\":\"" + name
                    + "\",\"reason\":\"" + reason + "\"}", null), exchange.keepAlive);
        }
    }

    private static void copyHeaders(HttpHeaders from, HttpHeaders to) {
        var entries = from.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = entries.next();
            if (!hopByHop(header.getKey())) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    private static boolean hopByHop(CharSequence header) {
        for (AsciiString name : HOP_BY_HOP) {
            if (name.contentEqualsIgnoreCase(header)) {
                return true;
            }
        }
        return false;
    }
}

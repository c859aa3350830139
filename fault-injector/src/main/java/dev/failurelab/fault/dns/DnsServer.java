package dev.failurelab.fault.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One authoritative DNS server of the lab's zone, on UDP and TCP at the same port (Netty's DNS
 * codec): A records from the {@link DnsZone}; AAAA and other types of a known name answered with
 * no data; a name of the zone it lacks NXDOMAIN; a name outside the zone REFUSED. Before it
 * answers, it asks {@link DnsService} for the query's {@link DnsAnswerPlan}: the faults decide.
 *
 * <p>Concurrency: the handler runs on the event loop; a slow answer is scheduled on it, never slept.
 */
final class DnsServer implements AutoCloseable {

    private final String role;
    private final DnsZone zone;
    private final DnsService service;
    private final Channel udp;
    private final Channel tcp;

    /**
     * @param role    {@code primary} or {@code fallback}: which faults apply, and its meters' tag
     * @param address the address to bind
     * @param port    the port to bind, UDP and TCP (0: any free port, the same for both)
     */
    DnsServer(String role, String address, int port, DnsZone zone, DnsService service, EventLoopGroup loops) {
        this.role = role;
        this.zone = zone;
        this.service = service;
        boolean epoll = Epoll.isAvailable();
        Class<? extends DatagramChannel> datagram = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        Class<? extends ServerSocketChannel> server = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        QueryHandler handler = new QueryHandler();
        Channel boundUdp = null;
        try {
            boundUdp = new Bootstrap().group(loops).channel(datagram).handler(new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel ch) {
                    ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), handler);
                }
            }).bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel();
            int bound = ((InetSocketAddress) boundUdp.localAddress()).getPort();
            this.tcp = new ServerBootstrap().group(loops).channel(server)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), handler);
                        }
                    }).bind(new InetSocketAddress(address, bound)).syncUninterruptibly().channel();
            this.udp = boundUdp;
        } catch (RuntimeException e) {
            if (boundUdp != null) {
                boundUdp.close().syncUninterruptibly();
            }
            throw e;
        }
    }

    String role() {
        return role;
    }

    /** The port it listens on, UDP and TCP. */
    int port() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    String address() {
        return ((InetSocketAddress) udp.localAddress()).getAddress().getHostAddress();
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    private final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            DnsResponse response = query instanceof DatagramDnsQuery datagram
                    ? new DatagramDnsResponse(datagram.recipient(), datagram.sender(), query.id())
                    : new DefaultDnsResponse(query.id());
            response.setRecursionDesired(query.isRecursionDesired());
            if (question == null) {
                response.setCode(DnsResponseCode.FORMERR);
                service.count(role, DnsService.Outcome.FORMERR);
                ctx.writeAndFlush(response);
                return;
            }
            String name = DnsZone.normalise(question.name());
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            if (!zone.contains(name)) {
                response.setCode(DnsResponseCode.REFUSED);
                service.count(role, DnsService.Outcome.REFUSED);
                ctx.writeAndFlush(response);
                return;
            }
            response.setAuthoritativeAnswer(true);
            DnsAnswerPlan plan = service.plan(role, name);
            DnsService.Outcome outcome = answer(response, plan, name, question.type());
            service.count(role, outcome);
            if (outcome == DnsService.Outcome.DROPPED) {
                io.netty.util.ReferenceCountUtil.release(response);
                return; // the client waits out its timeout
            }
            if (plan.delayMs() > 0) {
                ctx.channel().eventLoop().schedule(() -> {
                    ctx.writeAndFlush(response);
                }, plan.delayMs(), TimeUnit.MILLISECONDS);
            } else {
                ctx.writeAndFlush(response);
            }
        }

        private DnsService.Outcome answer(DnsResponse response, DnsAnswerPlan plan, String name, DnsRecordType type) {
            switch (plan.action()) {
                case DROP -> {
                    return DnsService.Outcome.DROPPED;
                }
                case SERVFAIL -> {
                    response.setCode(DnsResponseCode.SERVFAIL);
                    return DnsService.Outcome.SERVFAIL;
                }
                case NXDOMAIN -> {
                    response.setCode(DnsResponseCode.NXDOMAIN);
                    return DnsService.Outcome.NXDOMAIN;
                }
                case ANSWER -> {
                    // answered below
                }
            }
            InetAddress address = zone.lookup(name).orElse(null);
            if (address == null) {
                response.setCode(DnsResponseCode.NXDOMAIN);
                return DnsService.Outcome.NXDOMAIN;
            }
            if (!DnsRecordType.A.equals(type)) {
                return DnsService.Outcome.NODATA; // NOERROR, no answer: the name has only an A record
            }
            InetAddress answered = plan.address() != null ? plan.address() : address;
            long ttl = plan.zeroTtl() ? 0 : zone.ttlSeconds();
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(name, DnsRecordType.A, ttl,
                    Unpooled.wrappedBuffer(answered.getAddress())));
            return DnsService.Outcome.ANSWERED;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A malformed datagram: counted, never a reason to stop serving.
            service.count(role, DnsService.Outcome.FORMERR);
            if (!(ctx.channel() instanceof DatagramChannel)) {
                ctx.close();
            }
        }
    }
}

package dev.failurelab.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports of the chain: the same in compose and in the embedded topology, so that every script
 * works against both.
 *
 * @param edge        the edge service (user traffic enters here)
 * @param middleProxy the fault proxy in front of the middle
 * @param middle      the middle service
 * @param bottomProxy the fault proxy in front of the bottom
 * @param bottom      the bottom service
 * @param replica     the bottom's second replica (serves the hot key beside the bottom)
 * @param control     the fault injector's control API
 */
public record TopologyPorts(int edge, int middleProxy, int middle, int bottomProxy, int bottom, int replica,
        int control) {

    /** The documented ports: 8080, 8081, 8082, 8083, 8084, 8085 and 8474. */
    public static TopologyPorts defaults() {
        return new TopologyPorts(8080, 8081, 8082, 8083, 8084, 8085, 8474);
    }

    /** Seven free loopback ports, for tests that run beside other processes. */
    public static TopologyPorts free() {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 7; i++) {
                sockets.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            return new TopologyPorts(sockets.get(0).getLocalPort(), sockets.get(1).getLocalPort(),
                    sockets.get(2).getLocalPort(), sockets.get(3).getLocalPort(), sockets.get(4).getLocalPort(),
                    sockets.get(5).getLocalPort(), sockets.get(6).getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("no free ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot fail in a way that matters
                }
            }
        }
    }
}

package dev.failurelab.lab.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers that bind them soon after (a topology on free ports, a database, a
 * Prometheus). Picked below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), from
 * which every outgoing connection takes its local port: a port picked there (as {@code new
 * ServerSocket(0)} does) can be taken by a client's connection before its server binds it, and a
 * test's load makes thousands of connections. Each port is handed out once per JVM, so two picks do
 * not collide either. Where there is no room below the range, the kernel's own pick.
 */
public final class FreePorts {

    /** The lowest port picked: above the well-known and the project's documented ports. */
    static final int LOWEST = 20_000;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A loopback port nothing listens on now, not handed out before in this JVM. */
    public static synchronized int next() {
        int highest = ephemeralLow() - 1;
        if (highest - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
                if (!HANDED_OUT.contains(port) && bindable(port)) {
                    HANDED_OUT.add(port);
                    return port;
                }
            }
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port");
    }

    /** The first port of the kernel's ephemeral range (Linux's default, 32768, where it cannot be read). */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}

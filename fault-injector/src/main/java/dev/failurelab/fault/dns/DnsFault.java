package dev.failurelab.fault.dns;

import java.net.InetAddress;
import java.time.Instant;

/**
 * An installed DNS fault.
 *
 * @param id        unique within the injector ({@code d1}, {@code d2}, ...)
 * @param type      what it does
 * @param server    the server it applies to: {@code primary}, {@code fallback} or {@code all}
 * @param name      the name it applies to, fully qualified with its trailing dot (null: every name)
 * @param delayMs   slow: the delay before the answer
 * @param address   wrong-address: the address answered instead
 * @param createdAt when it was installed
 * @param expiresAt when it stops applying, whatever else happens
 */
public record DnsFault(String id, DnsFaultType type, String server, String name, long delayMs, InetAddress address,
        Instant createdAt, Instant expiresAt) {

    /** The server value that applies a fault to both servers. */
    public static final String ALL_SERVERS = "all";

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether a query for {@code queried} (lower case, trailing dot) to {@code serverRole} is in scope. */
    public boolean matches(String serverRole, String queried) {
        return (server.equals(ALL_SERVERS) || server.equals(serverRole)) && (name == null || name.equals(queried));
    }
}

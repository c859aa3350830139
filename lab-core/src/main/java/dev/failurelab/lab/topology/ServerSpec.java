package dev.failurelab.lab.topology;

/**
 * A server a {@link Topology}'s apps use: Redis, PostgreSQL, or a lab's own (a DNS server, a
 * registry, consensus nodes). The embedded topology resolves it as {@code Infrastructure} does
 * (an environment variable first, else an embedded server on a free port).
 *
 * @param name  its name, which apps list in {@code uses}
 * @param kind  what it is: {@code redis}, {@code postgres}, or a kind a lab registers
 * @param group an optional group (see {@link AppSpec#group()})
 */
public record ServerSpec(String name, String kind, String group) {
}

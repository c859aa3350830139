package dev.failurelab.lab.partition;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One row of the lab: the router's defences in force while the celebrity trigger fires, and the
 * load's mix (read-mostly, or write-heavy for write sharding).
 */
enum Row {
    /** Plain consistent hashing: the failure. */
    CONSISTENT("consistent", "consistent", "none", "off", false),
    /** hash mod N: the failure too (and every key moves when N changes). */
    MODULO("modulo", "modulo", "none", "off", false),
    /** Consistent hashing with bounded loads, ε as the router's balance factor. */
    BOUNDED_LOAD("bounded-load", "bounded-load", "none", "off", false),
    /** One shard call in flight per hot key. */
    COALESCE("coalesce", "consistent", "coalesce", "off", false),
    /** A local cache of the hot keys' answers, its misses coalesced. */
    CACHE("cache", "consistent", "cache", "off", false),
    /** Plain hashing under a write-heavy load: the write failure. */
    WRITES("writes", "consistent", "none", "off", true),
    /** A hot key's writes over k sub-keys; its counter reads fan in. */
    WRITE_SHARDING("write-sharding", "consistent", "none", "on", true);

    final String id;
    final String routing;
    final String hotKeys;
    final String writeSharding;
    final boolean writeHeavy;

    Row(String id, String routing, String hotKeys, String writeSharding, boolean writeHeavy) {
        this.id = id;
        this.routing = routing;
        this.hotKeys = hotKeys;
        this.writeSharding = writeSharding;
        this.writeHeavy = writeHeavy;
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(r -> r.id).toList();
    }

    static Optional<Row> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}

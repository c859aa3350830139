package dev.failurelab.chain;

/** The position of a chain-service instance in the call chain. */
public enum Role {
    /** Takes user traffic; calls the middle. */
    EDGE,
    /** Calls the bottom. */
    MIDDLE,
    /** Does the work, within a finite capacity; calls nobody. As a shard, it also serves keys. */
    BOTTOM,
    /** Places keyed requests on the shards (bottoms) of a partitioned store (the hot-partition lab). */
    ROUTER,
    /** The service registry (Eureka server) the bottoms register with and the middle discovers them through. */
    REGISTRY,
    /** A node of the split-brain lab's replicated store (its leader elected naively, or on ZooKeeper). */
    STORE;

    /** Lower-case name, as used in configuration, meter tags and response bodies. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.failurelab.lab.stampede;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/** Where the lab finds the replicas that serve the hot key (the bottom and its second replica). */
public record StampedeTargets(List<URI> replicas) {

    public StampedeTargets {
        if (replicas == null || replicas.isEmpty()) {
            throw new IllegalArgumentException("at least one replica is needed");
        }
        replicas = List.copyOf(replicas);
    }

    /** The documented ports on {@code host}: 8084 and 8085 (compose and ./lab up). */
    public static StampedeTargets onHost(String host) {
        return onHost(host, 8084, 8085);
    }

    /** The given replica ports on {@code host}. */
    public static StampedeTargets onHost(String host, int... ports) {
        return new StampedeTargets(Arrays.stream(ports).mapToObj(p -> URI.create("http://" + host + ":" + p)).toList());
    }

    public List<URI> hotKeyUrls() {
        return replicas.stream().map(r -> r.resolve("/api/top-products")).toList();
    }
}

package dev.failurelab.lab.retrystorm;

import java.net.URI;

/**
 * Where the lab finds the chain: base URLs of the edge, middle, bottom and the fault injector's
 * control API.
 */
public record RetryStormTargets(URI edge, URI middle, URI bottom, URI control) {

    /** The documented ports on {@code host}: 8080, 8082, 8084 and 8474 (compose and ./lab up). */
    public static RetryStormTargets onHost(String host) {
        return new RetryStormTargets(URI.create("http://" + host + ":8080"), URI.create("http://" + host + ":8082"),
                URI.create("http://" + host + ":8084"), URI.create("http://" + host + ":8474"));
    }
}

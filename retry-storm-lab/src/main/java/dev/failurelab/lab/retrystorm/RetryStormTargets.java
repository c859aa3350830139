package dev.failurelab.lab.retrystorm;

import java.net.URI;

/**
 * Where the lab finds the chain: base URLs of the edge, middle, bottom and the fault injector's
 * control API.
 */
public record RetryStormTargets(URI edge, URI middle, URI bottom, URI control) {

    /** The documented ports on {@code host}: 8080, 8082, 8084 and 8474 (compose and ./lab up). */
    public static RetryStormTargets onHost(String host) {
        return onHost(host, 8080, 8082, 8084, 8474);
    }

    /** The given ports on {@code host}. */
    public static RetryStormTargets onHost(String host, int edge, int middle, int bottom, int control) {
        return new RetryStormTargets(url(host, edge), url(host, middle), url(host, bottom), url(host, control));
    }

    private static URI url(String host, int port) {
        return URI.create("http://" + host + ":" + port);
    }
}

package dev.failurelab.fault.proxy;

import dev.failurelab.fault.rule.InvalidInputException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The upstreams a proxy may forward to, as {@code host:port} entries ({@code host:*} allows every
 * port of a host). Anything else is refused, so the control API cannot turn the injector into an
 * open proxy.
 */
public final class UpstreamAllowlist {

    private final List<String> entries;

    public UpstreamAllowlist(List<String> entries) {
        this.entries = entries.stream().map(e -> e.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Checks {@code upstream}; fails naming {@code field} if it is malformed or not allowed. */
    public URI check(String upstream, String field) {
        URI uri;
        try {
            uri = URI.create(upstream);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, field + " is not a valid URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
            throw new InvalidInputException(field, field + " must be http://host:port");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new InvalidInputException(field, field + " must not have a path");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String hostPort = host + ":" + uri.getPort();
        if (!entries.contains(hostPort) && !entries.contains(host + ":*")) {
            throw new InvalidInputException(field, field + " " + hostPort
                    + " is not on the allowlist (fault-injector.allowed-upstreams)");
        }
        return URI.create("http://" + hostPort);
    }
}

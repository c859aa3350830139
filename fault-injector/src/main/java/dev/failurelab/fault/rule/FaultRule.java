package dev.failurelab.fault.rule;

import java.time.Instant;

/**
 * An installed fault: a {@link FaultSpec} with an identity and an expiry.
 *
 * @param id        unique within the injector
 * @param proxy     the proxy it is installed on
 * @param spec      what it does
 * @param createdAt when it was installed
 * @param expiresAt when it stops applying, whatever else happens
 */
public record FaultRule(String id, String proxy, FaultSpec spec, Instant createdAt, Instant expiresAt) {

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether a request with this method and path is in scope. */
    public boolean matches(String method, String path) {
        return (spec.method() == null || spec.method().equalsIgnoreCase(method))
                && (spec.pathPrefix() == null || path.startsWith(spec.pathPrefix()));
    }
}

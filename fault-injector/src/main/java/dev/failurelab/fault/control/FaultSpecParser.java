package dev.failurelab.fault.control;

import dev.failurelab.fault.rule.ErrorMode;
import dev.failurelab.fault.rule.FaultSpec;
import dev.failurelab.fault.rule.FaultType;
import dev.failurelab.fault.rule.InvalidInputException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a control-API body into a {@link FaultSpec}, or fails naming the field that is wrong.
 *
 * <p>Body fields: {@code type} (required), {@code probability} (0..1, default 1), {@code ttl}
 * (default and maximum configured), {@code path} (prefix) and {@code method} to match, and per
 * type: error {@code status} (400..599, default 503) and {@code mode} ({@code forwarded} default,
 * or {@code proxy}); latency {@code latencyMs} and {@code jitterMs}; blackhole {@code holdMs};
 * bandwidth {@code bytesPerSecond}.
 */
public final class FaultSpecParser {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final long MAX_LATENCY_MS = 600_000;
    /** The longest path prefix a fault may match (it is echoed by every GET /faults). */
    static final int MAX_PATH_LENGTH = 1024;
    /** The highest throttle: faster than any loopback link, so no overflow in the pacing arithmetic. */
    static final long MAX_BYTES_PER_SECOND = 10L * 1024 * 1024 * 1024;

    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final Duration maxHold;

    /**
     * @param defaultTtl a fault's lifetime when the request gives none
     * @param maxTtl     the longest lifetime accepted
     * @param maxHold    the longest a blackhole may hold a request
     */
    public FaultSpecParser(Duration defaultTtl, Duration maxTtl, Duration maxHold) {
        this.defaultTtl = defaultTtl;
        this.maxTtl = maxTtl;
        this.maxHold = maxHold;
    }

    /** Parses {@code body}; a {@code proxy} field is accepted only when {@code proxyField} is true. */
    ParsedFault parse(String body, boolean proxyField) {
        JsonRequest json = JsonRequest.parse(body);
        String proxy = proxyField ? json.requiredString("proxy") : null;
        String typeName = json.requiredString("type");
        FaultType type = FaultType.of(typeName.toLowerCase(Locale.ROOT)).orElseThrow(() -> new InvalidInputException(
                "type", "unknown type '" + typeName + "'; expected one of: " + FaultType.ids()));

        double probability = json.number("probability", 1.0);
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new InvalidInputException("probability", "probability must be between 0 and 1");
        }
        String path = json.string("path", null);
        if (path != null && !path.startsWith("/")) {
            throw new InvalidInputException("path", "path must be a prefix starting with '/'");
        }
        if (path != null && path.length() > MAX_PATH_LENGTH) {
            throw new InvalidInputException("path", "path must be at most " + MAX_PATH_LENGTH + " characters");
        }
        String method = json.string("method", null);
        if (method != null) {
            method = method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new InvalidInputException("method", "method must be one of " + METHODS);
            }
        }
        Duration ttl = json.duration("ttl", defaultTtl);
        if (ttl.isZero() || ttl.isNegative()) {
            throw new InvalidInputException("ttl", "ttl must be positive");
        }
        if (ttl.compareTo(maxTtl) > 0) {
            throw new InvalidInputException("ttl", "ttl must not exceed the maximum of " + maxTtl.toSeconds() + "s");
        }

        int status = 0;
        ErrorMode mode = null;
        long latencyMs = 0;
        long jitterMs = 0;
        long holdMs = 0;
        long bytesPerSecond = 0;
        String notFor = "does not apply to type " + type.id();
        if (type == FaultType.ERROR) {
            long requested = json.wholeNumber("status", 503); // range-checked before the narrowing cast
            if (requested < 400 || requested > 599) {
                throw new InvalidInputException("status", "status must be an HTTP error status, 400..599");
            }
            status = (int) requested;
            String modeName = json.string("mode", ErrorMode.FORWARDED.id());
            mode = ErrorMode.of(modeName.toLowerCase(Locale.ROOT)).orElseThrow(() -> new InvalidInputException(
                    "mode", "mode must be 'forwarded' (upstream does the work) or 'proxy' (answered at the proxy)"));
        } else {
            json.rejectPresent("status", notFor);
            json.rejectPresent("mode", notFor);
        }
        if (type == FaultType.LATENCY) {
            if (!json.has("latencyMs")) {
                throw new InvalidInputException("latencyMs", "latencyMs is required for type latency");
            }
            latencyMs = json.wholeNumber("latencyMs", 0);
            jitterMs = json.wholeNumber("jitterMs", 0);
            if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
                throw new InvalidInputException("latencyMs", "latencyMs must be between 0 and " + MAX_LATENCY_MS);
            }
            if (jitterMs < 0 || jitterMs > MAX_LATENCY_MS) {
                throw new InvalidInputException("jitterMs", "jitterMs must be between 0 and " + MAX_LATENCY_MS);
            }
        } else {
            json.rejectPresent("latencyMs", notFor);
            json.rejectPresent("jitterMs", notFor);
        }
        if (type == FaultType.BLACKHOLE) {
            holdMs = json.wholeNumber("holdMs", maxHold.toMillis());
            if (holdMs <= 0 || holdMs > maxHold.toMillis()) {
                throw new InvalidInputException("holdMs", "holdMs must be between 1 and " + maxHold.toMillis());
            }
        } else {
            json.rejectPresent("holdMs", notFor);
        }
        if (type == FaultType.BANDWIDTH) {
            if (!json.has("bytesPerSecond")) {
                throw new InvalidInputException("bytesPerSecond", "bytesPerSecond is required for type bandwidth");
            }
            bytesPerSecond = json.wholeNumber("bytesPerSecond", 0);
            if (bytesPerSecond < 1 || bytesPerSecond > MAX_BYTES_PER_SECOND) {
                throw new InvalidInputException("bytesPerSecond", "bytesPerSecond must be between 1 and "
                        + MAX_BYTES_PER_SECOND);
            }
        } else {
            json.rejectPresent("bytesPerSecond", notFor);
        }
        json.rejectUnknownFields();
        return new ParsedFault(proxy, new FaultSpec(type, probability, path, method, status, mode,
                latencyMs, jitterMs, holdMs, bytesPerSecond, ttl));
    }

    /** A parsed fault and, for {@code POST /faults}, the proxy it is for. */
    record ParsedFault(String proxy, FaultSpec spec) {
    }
}

package dev.failurelab.fault.rule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of fault a proxy can inject. */
public enum FaultType {
    /** Answer with an HTTP error status, either at once or after forwarding. */
    ERROR,
    /** Delay the request before it is handled. */
    LATENCY,
    /** Close the client's connection with no response (TCP reset). */
    RESET,
    /** Hold the request with no response until the client gives up, or a bound passes. */
    BLACKHOLE,
    /** Deliver the response body at a limited number of bytes per second. */
    BANDWIDTH;

    /** Lower-case name, as used in the control API and meter tags. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code id}, if any. */
    public static Optional<FaultType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }

    /** The accepted names, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(FaultType::id).collect(Collectors.joining(", "));
    }
}

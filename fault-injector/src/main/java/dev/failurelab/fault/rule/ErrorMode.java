package dev.failurelab.fault.rule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** When an {@link FaultType#ERROR} fault answers. */
public enum ErrorMode {
    /**
     * Forward the request, let the upstream do the work, then replace its answer with the error —
     * the realistic brownout: the failed call still cost the upstream capacity.
     */
    FORWARDED,
    /** Answer at the proxy; the upstream never sees the request. */
    PROXY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ErrorMode> of(String id) {
        return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
    }
}

package dev.failurelab.contract;

import java.util.Locale;
import java.util.Optional;

/**
 * A request's priority, in the header {@value #HEADER}: {@code live} (a user waits; the default when
 * the header is absent) or {@code batch} (work that can be shed first). The bottom's
 * {@code priority} queue discipline partitions its queue by it.
 */
public enum Priority {
    LIVE, BATCH;

    /** The header. */
    public static final String HEADER = "X-Priority";

    /** The value in the header, in meter tags and in scripts. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The priority a header names: empty if it names none (a bad value, which the service answers
     * with 400); {@link #LIVE} when there is no header.
     */
    public static Optional<Priority> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.of(LIVE);
        }
        for (Priority priority : values()) {
            if (priority.tag().equals(header.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }
}

package dev.failurelab.contract;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration notation of the project: {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h},
 * and a bare number is <em>seconds</em> (fractions allowed: {@code 0.5} is 500 ms). Defaults files,
 * the command line, the fault injector's JSON and {@code fault.sh} all read durations this way.
 *
 * <p>Thread-safe: stateless.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    /** What an error message shows as the accepted forms. */
    public static final String EXAMPLES = "500ms, 30s, 2m or a number of seconds";

    private Durations() {
    }

    /** {@code text} as a duration, or empty if it is not one (negative durations are not). */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Optional.of(Duration.ofMillis(Math.round(millis)));
    }

    /** A number of seconds (as JSON gives one) as a duration; empty if negative or not finite. */
    public static Optional<Duration> ofSeconds(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}

package dev.failurelab.chain.settings;

import dev.failurelab.contract.Durations;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * One setting a service changes live: its property name (the same key a lab's defaults file sets
 * at start-up, e.g. {@code chain.capacity.max-concurrency}), its kind and its bounds.
 *
 * @param key  the property name
 * @param kind whole number, decimal or duration
 * @param min  the smallest value allowed (an {@link Integer}, {@link Double} or {@link Duration})
 * @param max  the largest value allowed
 */
public record Setting(String key, Kind kind, Object min, Object max) {

    /** What a setting holds. */
    public enum Kind {
        WHOLE, DECIMAL, DURATION
    }

    public static Setting whole(String key, int min, int max) {
        return new Setting(key, Kind.WHOLE, min, max);
    }

    public static Setting decimal(String key, double min, double max) {
        return new Setting(key, Kind.DECIMAL, min, max);
    }

    public static Setting duration(String key, Duration min, Duration max) {
        return new Setting(key, Kind.DURATION, min, max);
    }

    /**
     * Reads a value from JSON: a number, or a string ({@code "400ms"}; a bare number of a duration
     * is seconds, as everywhere in the project).
     *
     * @throws BadSetting naming this key if the value is of the wrong kind or out of bounds
     */
    public Object parse(JsonNode node) {
        String text = node.isString() ? node.stringValue().trim() : node.isNumber() ? node.asString() : null;
        if (text == null) {
            throw new BadSetting(key, key + " must be " + expected() + ", got " + node);
        }
        return parse(text);
    }

    /** Reads a value from text, as {@link #parse(JsonNode)}. */
    public Object parse(String text) {
        Object value;
        try {
            value = switch (kind) {
                case WHOLE -> Integer.parseInt(text);
                case DECIMAL -> Double.parseDouble(text);
                case DURATION -> Durations.parse(text).orElseThrow(() -> new NumberFormatException(text));
            };
        } catch (NumberFormatException e) {
            throw new BadSetting(key, key + " must be " + expected() + ", got '" + text + "'");
        }
        if (compare(value, min) < 0 || compare(value, max) > 0 || value instanceof Double d && !Double.isFinite(d)) {
            throw new BadSetting(key, key + " must be between " + show(min) + " and " + show(max) + ", got "
                    + show(value));
        }
        return value;
    }

    /** A value as the admin API shows it: numbers as numbers, durations as {@code "400ms"}. */
    public static Object show(Object value) {
        return value instanceof Duration d ? d.toMillis() + "ms" : value;
    }

    private String expected() {
        return switch (kind) {
            case WHOLE -> "a whole number";
            case DECIMAL -> "a number";
            case DURATION -> "a duration (" + Durations.EXAMPLES + ")";
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** A value refused: a 400 that names the setting. */
    public static final class BadSetting extends IllegalArgumentException {

        private final String key;

        public BadSetting(String key, String message) {
            super(message);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}

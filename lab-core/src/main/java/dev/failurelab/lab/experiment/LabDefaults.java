package dev.failurelab.lab.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab's defaults file: every rate, duration and threshold that judges the lab, one commented
 * line each, read by the CLI and the tests alike. Overrides (e.g. {@code --set key=value}) must
 * name an existing key, so a typo fails loudly instead of being ignored.
 */
public final class LabDefaults {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    private final String source;
    private final Map<String, String> values;

    private LabDefaults(String source, Map<String, String> values) {
        this.source = source;
        this.values = values;
    }

    /** Loads a defaults file from the classpath. */
    public static LabDefaults load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = LabDefaults.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no defaults file " + resource + " on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((k, v) -> values.put(k.toString(), v.toString().trim()));
        return new LabDefaults(resource, values);
    }

    /** These defaults with {@code overrides} applied; each override must name an existing key. */
    public LabDefaults with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        overrides.forEach((key, value) -> {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' (not in " + source + ")");
            }
            merged.put(key, value);
        });
        return new LabDefaults(source, merged);
    }

    public String string(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing setting '" + key + "' in " + source);
        }
        return value;
    }

    public double number(String key) {
        try {
            return Double.parseDouble(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a number, got '" + string(key) + "'");
        }
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a whole number, got '" + string(key) + "'");
        }
    }

    /** A duration written as {@code 500ms}, {@code 20s} or {@code 2m}. */
    public Duration duration(String key) {
        Matcher m = DURATION.matcher(string(key).toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("setting '" + key + "' must be a duration like 500ms, 20s or 2m, got '"
                    + string(key) + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        long millis = Math.round(switch (m.group(2)) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            default -> amount * 1000;
        });
        return Duration.ofMillis(millis);
    }

    /** Every setting whose key starts with {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> matching = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                matching.put(key.substring(prefix.length()), value);
            }
        });
        return matching;
    }

    /** All settings, for the report. */
    public Map<String, String> all() {
        return Map.copyOf(values);
    }
}

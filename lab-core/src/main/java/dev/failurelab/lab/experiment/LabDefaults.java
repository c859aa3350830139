package dev.failurelab.lab.experiment;

import dev.failurelab.contract.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A lab's defaults file: every rate, duration and threshold that judges the lab, one commented
 * line each, read by the CLI and the tests alike. Overrides (e.g. {@code --set key=value}) must
 * name an existing key, so a typo fails loudly instead of being ignored.
 */
public final class LabDefaults {

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

    /**
     * These defaults with {@code overrides} applied; each override must name an existing key and
     * be of its default's kind (a number for a number, a duration for a duration), so a typo
     * fails before an experiment starts rather than halfway through it.
     */
    public LabDefaults with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        overrides.forEach((key, value) -> {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' (not in " + source + ")");
            }
            String original = values.get(key);
            if (isNumber(original) && !isNumber(value)) {
                throw new IllegalArgumentException("setting '" + key + "' must be a number like " + original
                        + ", got '" + value + "'");
            }
            if (!isNumber(original) && Durations.parse(original).isPresent() && Durations.parse(value).isEmpty()) {
                throw new IllegalArgumentException("setting '" + key + "' must be a duration like " + original
                        + ", got '" + value + "'");
            }
            merged.put(key, value.trim());
        });
        return new LabDefaults(source, merged);
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
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

    /** {@code true} or {@code false}, nothing else. */
    public boolean flag(String key) {
        String value = string(key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("setting '" + key + "' must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** A duration written as {@code 500ms}, {@code 20s} or {@code 2m}. */
    public Duration duration(String key) {
        return Durations.parse(string(key)).orElseThrow(() -> new IllegalArgumentException(
                "setting '" + key + "' must be a duration like 500ms, 20s or 2m, got '" + string(key) + "'"));
    }

    /**
     * A comma-separated list of names, each one of {@code allowed}, in the order written, each once;
     * empty if the setting is blank.
     *
     * @param what what a name is, for the message (e.g. {@code strategy})
     * @throws IllegalArgumentException naming the setting and the unknown name
     */
    public java.util.List<String> names(String key, String what, java.util.List<String> allowed) {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (string(key).isBlank()) {
            return names;
        }
        for (String written : string(key).split(",")) {
            String name = written.trim();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(key + ": unknown " + what + " '" + name + "' (some of "
                        + String.join(",", allowed) + ")");
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
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

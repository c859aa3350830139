package dev.failurelab.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The part of JSONPath an experiment's tolerances use: {@code $} followed by member names
 * ({@code .name}, {@code ['name']}), indexes ({@code [0]}) and wildcards ({@code [*]}, {@code .*}).
 * Anything else (filters, slices, recursive descent) is refused as invalid rather than guessed.
 */
final class JsonPathLite {

    private static final Pattern SEGMENT = Pattern.compile(
            "\\.([A-Za-z_][A-Za-z0-9_-]*)|\\.\\*|\\[\\*]|\\[(\\d+)]|\\['([^']*)']");

    private JsonPathLite() {
    }

    static boolean isValid(String path) {
        return segments(path) != null;
    }

    /** The values {@code path} selects in {@code root}, in document order. */
    static List<JsonNode> match(String path, JsonNode root) {
        List<String> segments = segments(path);
        if (segments == null) {
            throw new IllegalArgumentException("unsupported JSON path: " + path);
        }
        List<JsonNode> current = List.of(root);
        for (String segment : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                if (segment.equals("*")) {
                    node.forEach(next::add);
                } else if (segment.startsWith("#")) {
                    JsonNode item = node.isArray() ? node.get(Integer.parseInt(segment.substring(1))) : null;
                    if (item != null) {
                        next.add(item);
                    }
                } else if (node.isObject() && node.has(segment.substring(1))) {
                    next.add(node.get(segment.substring(1)));
                }
            }
            current = next;
        }
        return current;
    }

    /** Its segments: {@code .name}, {@code *}, or {@code #n} for an index; null when not supported. */
    private static List<String> segments(String path) {
        String text = path.strip();
        if (!text.startsWith("$")) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        Matcher matcher = SEGMENT.matcher(text);
        int at = 1;
        while (at < text.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                return null;
            }
            if (matcher.group(1) != null) {
                segments.add("." + matcher.group(1));
            } else if (matcher.group(2) != null) {
                segments.add("#" + matcher.group(2));
            } else if (matcher.group(3) != null) {
                segments.add("." + matcher.group(3));
            } else {
                segments.add("*");
            }
            at = matcher.end();
        }
        return segments;
    }
}

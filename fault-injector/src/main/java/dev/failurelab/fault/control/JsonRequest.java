package dev.failurelab.fault.control;

import dev.failurelab.fault.rule.InvalidInputException;
import dev.failurelab.contract.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A control-API request body read strictly: malformed JSON, a non-object body, a field of the
 * wrong type and an unknown field all fail with an {@link InvalidInputException} naming the field.
 */
final class JsonRequest {

    /** Strict: a key given twice is refused, not "the last one wins". */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final JsonNode root;
    private final Set<String> read = new HashSet<>();

    private JsonRequest(JsonNode root) {
        this.root = root;
    }

    static JsonRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInputException("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        return new JsonRequest(root);
    }

    boolean has(String field) {
        read.add(field);
        JsonNode node = root.get(field);
        return node != null && !node.isNull();
    }

    String string(String field, String fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode node = root.get(field);
        if (!node.isString()) {
            throw new InvalidInputException(field, field + " must be a string");
        }
        return node.stringValue();
    }

    String requiredString(String field) {
        String value = string(field, null);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

    double number(String field, double fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode node = root.get(field);
        if (!node.isNumber()) {
            throw new InvalidInputException(field, field + " must be a number");
        }
        return node.doubleValue();
    }

    long wholeNumber(String field, long fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode node = root.get(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidInputException(field, field + " must be a whole number");
        }
        return node.longValue();
    }

    /** A duration given as seconds (number) or as text with a unit: "500ms", "30s", "2m", "1h". */
    Duration duration(String field, Duration fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode node = root.get(field);
        java.util.Optional<Duration> parsed = node.isNumber() ? Durations.ofSeconds(node.doubleValue())
                : node.isString() ? Durations.parse(node.stringValue()) : java.util.Optional.empty();
        if (parsed.isPresent()) {
            return parsed.get();
        }
        throw new InvalidInputException(field,
                field + " must be a duration: seconds as a number, or text such as \"500ms\", \"30s\", \"2m\"");
    }

    /** Fails on the first field nobody asked for: a typo must not be silently ignored. */
    void rejectUnknownFields() {
        for (String name : root.propertyNames()) {
            if (!read.contains(name)) {
                throw new InvalidInputException(name, "unknown field '" + name + "'");
            }
        }
    }

    /** Fails if {@code field} is present: it does not apply to what is being created. */
    void rejectPresent(String field, String why) {
        if (has(field)) {
            throw new InvalidInputException(field, field + " " + why);
        }
    }
}

package dev.failurelab.chain;

import dev.failurelab.contract.Durations;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-field JSON bodies of the admin API ({@code {"policy":"budget"}},
 * {@code {"strategy":"lock"}}, with an optional {@code "lease":"10s"} on a defence's switch), read
 * strictly: anything else is a 400 naming the field.
 */
public final class AdminBody {

    /** Strict: a key given twice is refused, not "the last one wins". */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The field's value (and a lease, if the body gave one), or the 400 to answer instead. */
    public record Parsed(String value, java.time.Duration lease, boolean renew,
            ResponseEntity<Map<String, String>> error) {
    }

    /** The longest lease a switch may ask for. */
    public static final java.time.Duration MAX_LEASE = java.time.Duration.ofHours(1);

    private AdminBody() {
    }

    /**
     * Reads {@code field}, an optional {@code lease} (a duration: seconds as a number, or
     * {@code "10s"}, between 1 s and {@link #MAX_LEASE}) and an optional {@code renew} (true: only
     * extend the lease if that option is still in force) from the request's body. The raw stream, not {@code @RequestBody}: curl
     * {@code -d} labels JSON as a form, which Spring would re-encode.
     */
    public static Parsed field(HttpServletRequest request, String field, String example) throws IOException {
        JsonObject object = object(request, example);
        if (object.error() != null) {
            return new Parsed(null, null, false, object.error());
        }
        JsonNode root = object.root();
        for (String name : root.propertyNames()) {
            if (!name.equals(field) && !name.equals("lease") && !name.equals("renew")) {
                return error(name, "unknown field '" + name + "'");
            }
        }
        JsonNode value = root.get(field);
        if (value == null || !value.isString()) {
            return error(field, field + " is required, e.g. " + example);
        }
        java.time.Duration lease = null;
        JsonNode leaseNode = root.get("lease");
        if (leaseNode != null) {
            java.util.Optional<java.time.Duration> parsed = duration(leaseNode);
            if (parsed.isEmpty() || parsed.get().compareTo(java.time.Duration.ofSeconds(1)) < 0
                    || parsed.get().compareTo(MAX_LEASE) > 0) {
                return error("lease", "lease must be a duration between 1s and 1h (e.g. \"10s\"), got " + leaseNode);
            }
            lease = parsed.get();
        }
        JsonNode renew = root.get("renew");
        if (renew != null && (!renew.isBoolean() || lease == null)) {
            return error("renew", "renew must be true or false, and needs a lease");
        }
        return new Parsed(value.stringValue(), lease, renew != null && renew.booleanValue(), null);
    }

    /** A JSON duration: seconds as a number, or a string such as {@code "10s"}; empty if neither (or null). */
    public static java.util.Optional<java.time.Duration> duration(JsonNode node) {
        if (node == null) {
            return java.util.Optional.empty();
        }
        return node.isNumber() ? Durations.ofSeconds(node.doubleValue())
                : node.isString() ? Durations.parse(node.stringValue()) : java.util.Optional.empty();
    }

    /** A request's body as a JSON object, or the 400 to answer instead. */
    public record JsonObject(JsonNode root, ResponseEntity<Map<String, String>> error) {
    }

    /**
     * Reads the request's body strictly as one JSON object (a key given twice is refused), from the
     * raw stream; {@code example} shows the expected shape in the 400 otherwise.
     */
    public static JsonObject object(HttpServletRequest request, String example) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new JsonObject(null, badRequest("body", "malformed JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return new JsonObject(null, badRequest("body", "expected a JSON object like " + example));
        }
        return new JsonObject(root, null);
    }

    public static ResponseEntity<Map<String, String>> badRequest(String field, String message) {
        return ResponseEntity.badRequest().body(Map.of("error", "bad_request", "field", field, "message", message));
    }

    private static Parsed error(String field, String message) {
        return new Parsed(null, null, false, badRequest(field, message));
    }
}

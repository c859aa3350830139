package dev.failurelab.chain;

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
 * {@code {"strategy":"lock"}}), read strictly: anything else is a 400 naming the field.
 */
public final class AdminBody {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The field's value, or the 400 to answer instead. */
    public record Parsed(String value, ResponseEntity<Map<String, String>> error) {
    }

    private AdminBody() {
    }

    /**
     * Reads {@code field} from the request's body. The raw stream, not {@code @RequestBody}: curl
     * {@code -d} labels JSON as a form, which Spring would re-encode.
     */
    public static Parsed field(HttpServletRequest request, String field, String example) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            return error("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return error("body", "expected a JSON object like " + example);
        }
        for (String name : root.propertyNames()) {
            if (!name.equals(field)) {
                return error(name, "unknown field '" + name + "'");
            }
        }
        JsonNode value = root.get(field);
        if (value == null || !value.isString()) {
            return error(field, field + " is required, e.g. " + example);
        }
        return new Parsed(value.stringValue(), null);
    }

    public static ResponseEntity<Map<String, String>> badRequest(String field, String message) {
        return ResponseEntity.badRequest().body(Map.of("error", "bad_request", "field", field, "message", message));
    }

    private static Parsed error(String field, String message) {
        return new Parsed(null, badRequest(field, message));
    }
}

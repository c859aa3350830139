package dev.failurelab.chain.retry;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import dev.failurelab.chain.ChainServiceApplication;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /admin/retry-policy}: read or switch this hop's retry policy at runtime, no restart.
 * {@code PUT} (or {@code POST}) {@code {"policy":"budget"}}; bad input is a 400 naming the field.
 */
@RestController
@ConditionalOnExpression(ChainServiceApplication.CALLS_DOWNSTREAM)
class RetryPolicyController {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final RetryingCaller caller;

    RetryPolicyController(RetryingCaller caller) {
        this.caller = caller;
    }

    @GetMapping("/admin/retry-policy")
    Map<String, Object> current() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("policy", caller.policy().id());
        view.put("maxAttempts", caller.properties().maxAttempts());
        view.put("backoffBaseMs", caller.properties().backoffBase().toMillis());
        view.put("backoffCapMs", caller.properties().backoffCap().toMillis());
        view.put("budgetRatio", caller.budget().ratio());
        view.put("budgetTokens", Math.floor(caller.budget().tokens() * 100) / 100);
        return view;
    }

    @PutMapping("/admin/retry-policy")
    ResponseEntity<?> switchPolicy(HttpServletRequest request) throws IOException {
        // The raw stream, not @RequestBody: curl -d labels JSON as a form, which Spring would re-encode.
        return switchPolicy(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @PostMapping("/admin/retry-policy")
    ResponseEntity<?> switchPolicyByPost(HttpServletRequest request) throws IOException {
        return switchPolicy(request);
    }

    private ResponseEntity<?> switchPolicy(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            return badRequest("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return badRequest("body", "expected a JSON object like {\"policy\":\"budget\"}");
        }
        for (String field : root.propertyNames()) {
            if (!field.equals("policy")) {
                return badRequest(field, "unknown field '" + field + "'");
            }
        }
        JsonNode policy = root.get("policy");
        if (policy == null || !policy.isString()) {
            return badRequest("policy", "policy is required: one of " + RetryPolicy.ids());
        }
        return RetryPolicy.of(policy.stringValue().toLowerCase(Locale.ROOT))
                .<ResponseEntity<?>>map(p -> {
                    caller.switchTo(p);
                    return ResponseEntity.ok(current());
                })
                .orElseGet(() -> badRequest("policy",
                        "unknown policy '" + policy.stringValue() + "'; expected one of " + RetryPolicy.ids()));
    }

    private static ResponseEntity<Map<String, String>> badRequest(String field, String message) {
        return ResponseEntity.badRequest().body(Map.of("error", "bad_request", "field", field, "message", message));
    }
}

package dev.failurelab.chain.retry;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.ChainServiceApplication;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/retry-policy}: read or switch this hop's retry policy at runtime, no restart.
 * {@code PUT} (or {@code POST}) {@code {"policy":"budget"}}; bad input is a 400 naming the field.
 */
@RestController
@ConditionalOnExpression(ChainServiceApplication.CALLS_DOWNSTREAM)
class RetryPolicyController {

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
        AdminBody.Parsed parsed = AdminBody.field(request, "policy", "{\"policy\":\"budget\"}");
        if (parsed.error() != null) {
            return parsed.error();
        }
        return RetryPolicy.of(parsed.value().toLowerCase(Locale.ROOT))
                .<ResponseEntity<?>>map(p -> {
                    caller.switchTo(p);
                    return ResponseEntity.ok(current());
                })
                .orElseGet(() -> AdminBody.badRequest("policy",
                        "unknown policy '" + parsed.value() + "'; expected one of " + RetryPolicy.ids()));
    }

    @PostMapping("/admin/retry-policy")
    ResponseEntity<?> switchPolicyByPost(HttpServletRequest request) throws IOException {
        return switchPolicy(request);
    }
}

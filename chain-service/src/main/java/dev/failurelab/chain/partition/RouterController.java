package dev.failurelab.chain.partition;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.ChainServiceApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The router's API (role {@code router}): {@code GET /api/kv/{key}} reads a key's content,
 * {@code POST /api/counter/{key}} increments its counter, {@code GET /api/counter/{key}} reads it.
 * A shard's 429 stays a 429 (with {@code Retry-After}); a shard that fails is a 502, one that does
 * not answer in time a 504.
 */
@RestController
@ConditionalOnExpression(ChainServiceApplication.IS_ROUTER)
class RouterController {

    /** A key: letters, digits and {@code . _ : ~ -}, up to 200 ({@code #} names a hot key's sub-keys). */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:~-]{1,200}");

    private final PartitionRouter router;

    RouterController(PartitionRouter router) {
        this.router = router;
    }

    @GetMapping("/api/kv/{key}")
    ResponseEntity<?> read(@PathVariable String key) {
        return answer(key, router::read);
    }

    @PostMapping("/api/counter/{key}")
    ResponseEntity<?> increment(@PathVariable String key) {
        return answer(key, router::increment);
    }

    @GetMapping("/api/counter/{key}")
    ResponseEntity<?> count(@PathVariable String key) {
        return answer(key, router::count);
    }

    private static ResponseEntity<?> answer(String key, Function<String, PartitionRouter.Answer> operation) {
        if (!KEY.matcher(key).matches()) {
            return AdminBody.badRequest("key", "key must be 1 to 200 letters, digits or . _ : ~ -, not '"
                    + (key.length() > 40 ? key.substring(0, 40) + "…" : key) + "'");
        }
        PartitionRouter.Answer answer;
        try {
            answer = operation.apply(key);
        } catch (PartitionRouter.CoalescedWaitExpired e) {
            return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(Map.of("error", "timeout", "key", key,
                    "message", e.getMessage()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("shard", answer.shard() + 1);
        body.put("home", answer.home());
        body.put("source", answer.source());
        return switch (answer.outcome()) {
            case OK -> {
                body.put("value", answer.value());
                yield ResponseEntity.ok(body);
            }
            case THROTTLED -> {
                body.put("error", "throttled");
                yield ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1").body(body);
            }
            case TIMEOUT -> {
                body.put("error", "shard_timeout");
                yield ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(body);
            }
            case ERROR -> {
                body.put("error", "shard_failed");
                yield ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(body);
            }
        };
    }
}

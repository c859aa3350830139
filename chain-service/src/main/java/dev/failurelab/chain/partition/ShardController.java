package dev.failurelab.chain.partition;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.chain.capacity.BoundedWorker;
import dev.failurelab.chain.capacity.CapacityLimiter;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A bottom as a shard of the partitioned store: {@code GET /api/kv/{key}} (content),
 * {@code GET}/{@code POST /api/counter/{key}} (a counter), each within the bottom's fixed capacity
 * ({@code chain.capacity.*}). Past it the shard answers 429 with {@code Retry-After}, as a
 * partition past its provisioned throughput does.
 */
@RestController
@ConditionalOnExpression(ChainServiceApplication.IS_BOTTOM)
class ShardController {

    private final BoundedWorker worker;
    private final ShardStore store;
    private final Map<String, Counter> operations = new HashMap<>();

    ShardController(BoundedWorker worker, ShardStore store, MeterRegistry registry) {
        this.worker = worker;
        this.store = store;
        for (String op : new String[] {"read", "write", "count"}) {
            for (String outcome : new String[] {"ok", "throttled"}) {
                operations.put(op + "/" + outcome, Counter.builder(ChainMetricNames.SHARD_OPERATIONS)
                        .description("This shard's operations, by outcome (throttled: refused past its capacity)")
                        .tag(ChainMetricNames.OP, op).tag(ChainMetricNames.OUTCOME, outcome).register(registry));
            }
        }
    }

    @GetMapping("/api/kv/{key}")
    ResponseEntity<?> read(@PathVariable String key) throws InterruptedException {
        return within("read", key, () -> Map.of("local", store.read(key) ? "hit" : "miss"));
    }

    @GetMapping("/api/counter/{key}")
    ResponseEntity<?> count(@PathVariable String key) throws InterruptedException {
        return within("count", key, () -> Map.of("value", store.count(key)));
    }

    @PostMapping("/api/counter/{key}")
    ResponseEntity<?> increment(@PathVariable String key) throws InterruptedException {
        return within("write", key, () -> Map.of("value", store.increment(key)));
    }

    private ResponseEntity<?> within(String op, String key, Supplier<Map<String, Object>> work)
            throws InterruptedException {
        Optional<CapacityLimiter.Rejection> rejection = worker.serve();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("shard", store.number());
        if (rejection.isPresent()) {
            operations.get(op + "/throttled").increment();
            body.put("error", "throttled");
            body.put("reason", rejection.get().tag());
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1").body(body);
        }
        operations.get(op + "/ok").increment();
        body.putAll(work.get());
        return ResponseEntity.ok(body);
    }
}

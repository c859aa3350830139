package dev.failurelab.chain.cache;

import dev.failurelab.chain.LatencyTimers;
import dev.failurelab.contract.ChainMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.util.RawValue;

/**
 * {@code GET /api/top-products}: the hot key, read through the {@link StampedeGuard}. The answer
 * says where the value came from ({@code source}, also in {@code X-Cache}); a read that can give no
 * value is a 503 naming why ({@code origin_unavailable}, {@code cache_wait_timeout}). Every answer
 * is timed in {@code chain.cache.requests} by source.
 */
@RestController
@ConditionalOnBooleanProperty(CacheConfiguration.ENABLED)
class TopProductsController {

    static final String PATH = "/api/top-products";

    private final StampedeGuard guard;
    private final TopProductsOrigin origin;
    private final String key;
    private final Map<String, Timer> timers = new HashMap<>();

    TopProductsController(StampedeGuard guard, TopProductsOrigin origin, CacheProperties properties,
            MeterRegistry registry) {
        this.guard = guard;
        this.origin = origin;
        this.key = properties.redisKey();
        for (StampedeGuard.Source source : StampedeGuard.Source.values()) {
            timers.put(source.tag(), timer(registry, source.tag()));
        }
        for (CacheUnavailableException.Reason reason : CacheUnavailableException.Reason.values()) {
            timers.put(reason.tag(), timer(registry, reason.tag()));
        }
    }

    @GetMapping(PATH)
    ResponseEntity<?> topProducts() {
        long start = System.nanoTime();
        try {
            StampedeGuard.Read read = guard.get(key, origin::topProducts);
            Map<String, Object> body = new LinkedHashMap<>();
            // The cached value is already JSON: written as it is, not parsed again on every read.
            body.put("products", new RawValue(read.value()));
            body.put("source", read.source().tag());
            if (read.entry() != null) {
                body.put("computedAt", Instant.ofEpochMilli(read.entry().computedAt()).toString());
                body.put("expiresAt", Instant.ofEpochMilli(read.entry().expiresAt()).toString());
            }
            record(read.source().tag(), start);
            return ResponseEntity.ok().header("X-Cache", read.source().tag()).body(body);
        } catch (CacheUnavailableException e) {
            record(e.reason().tag(), start);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", e.reason().tag(), "message", String.valueOf(e.getMessage())));
        }
    }

    private void record(String source, long start) {
        timers.get(source).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private static Timer timer(MeterRegistry registry, String source) {
        return LatencyTimers.builder(ChainMetricNames.CACHE_REQUESTS,
                        "Reads of the hot key, by where the value came from (or the error)")
                .tag(ChainMetricNames.SOURCE, source)
                .register(registry);
    }
}

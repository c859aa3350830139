package dev.failurelab.chain.cache;

import dev.failurelab.chain.admin.AdminEndpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The hot key's admin API ({@code /admin/cache-strategy} is the switchable defence
 * {@link CacheStrategyDefence}): {@code GET /admin/cache} shows the entry, its lock
 * and this replica's recent recomputes (when, why, and how they stood to the expiry);
 * {@code DELETE /admin/cache} evicts it.
 */
@AdminEndpoint
@ConditionalOnBooleanProperty(CacheConfiguration.ENABLED)
public class CacheAdminController {

    private final StampedeGuard guard;
    private final CacheProperties properties;

    CacheAdminController(StampedeGuard guard, CacheProperties properties) {
        this.guard = guard;
        this.properties = properties;
    }

    @GetMapping("/admin/cache")
    ResponseEntity<?> entry() {
        String key = properties.redisKey();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("key", key);
        view.put("strategy", guard.strategy().id());
        long now = System.currentTimeMillis();
        try {
            CacheEntry entry = guard.peek(key);
            view.put("state", entry == null ? "absent" : entry.isFresh(now) ? "fresh" : "stale");
            if (entry != null) {
                view.put("computedAt", Instant.ofEpochMilli(entry.computedAt()).toString());
                view.put("expiresAt", Instant.ofEpochMilli(entry.expiresAt()).toString());
                view.put("expiresAtEpochMs", entry.expiresAt());
                view.put("expiresInMs", entry.expiresAt() - now);
                view.put("recomputeMs", entry.deltaMillis());
            }
            view.put("lockHeld", guard.lockHolder(key).isPresent());
        } catch (CacheStore.Unavailable e) {
            view.put("state", "redis_unavailable");
            view.put("message", String.valueOf(e.getMessage()));
        }
        view.put("recentRecomputes", recomputes());
        return ResponseEntity.ok(view);
    }

    @DeleteMapping("/admin/cache")
    ResponseEntity<?> evict() {
        try {
            guard.evict(properties.redisKey());
            return ResponseEntity.ok(Map.of("evicted", properties.redisKey()));
        } catch (CacheStore.Unavailable e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "redis_unavailable", "message", String.valueOf(e.getMessage())));
        }
    }

    private List<Map<String, Object>> recomputes() {
        return guard.recentRecomputes().stream().map(r -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("at", Instant.ofEpochMilli(r.at()).toString());
            view.put("atEpochMs", r.at());
            view.put("trigger", r.trigger().tag());
            view.put("durationMs", r.durationMillis());
            view.put("succeeded", r.succeeded());
            if (r.previousExpiresAt() > 0) {
                // negative: before the old value expired (XFetch); positive: after it
                view.put("sinceExpiryMs", r.at() - r.previousExpiresAt());
            }
            return view;
        }).toList();
    }
}

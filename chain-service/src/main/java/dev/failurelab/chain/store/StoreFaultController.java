package dev.failurelab.chain.store;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.admin.AdminEndpoint;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Durations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import tools.jackson.databind.JsonNode;

/**
 * The split-brain lab's faults on a store node ({@link StoreFaults}), on its management port:
 * {@code /admin/network-partition} ({@code {"cut":["store-2","store-3","zookeeper"],"ttl":"20s"}}) and
 * {@code /admin/pause} ({@code {"duration":"4s"}}, or {@code {"duration":"4s","at":"next-write"}});
 * {@code PUT} or {@code POST} starts one, {@code DELETE} ends it, {@code GET} shows both. And
 * {@code PUT /admin/checker} ({@code {"acked":120,"lost":3,"violations":1}}): the lab's history check,
 * shown in {@code chain.store.checker{result}}. A missing, unknown or out-of-bounds field is a 400
 * naming it; a service that is not a store node answers 404.
 */
@AdminEndpoint
public class StoreFaultController {

    static final String PARTITION = "/admin/network-partition";
    static final String PAUSE = "/admin/pause";
    static final String CHECKER = "/admin/checker";
    private static final String PARTITION_EXAMPLE = "{\"cut\":[\"store-2\",\"store-3\",\"zookeeper\"],\"ttl\":\"20s\"}";
    private static final String PAUSE_EXAMPLE = "{\"duration\":\"4s\",\"at\":\"next-write\"}";
    private static final String CHECKER_EXAMPLE = "{\"acked\":120,\"lost\":3,\"violations\":1}";
    private static final List<String> CHECKER_RESULTS = List.of("acked", "lost", "violations");

    private final Optional<StoreFaults> offered;
    private final Map<String, Long> checker = new ConcurrentHashMap<>();

    StoreFaultController(Optional<StoreFaults> offered, Optional<MeterRegistry> meters) {
        this.offered = offered;
        if (offered.isPresent() && meters.isPresent()) {
            for (String result : CHECKER_RESULTS) {
                checker.put(result, 0L);
                Gauge.builder(ChainMetricNames.STORE_CHECKER, checker, c -> c.getOrDefault(result, 0L))
                        .tag("result", result).description("the split-brain lab's last history check")
                        .register(meters.get());
            }
        }
    }

    @GetMapping({PARTITION, PAUSE})
    ResponseEntity<?> show() {
        return offered.<ResponseEntity<?>>map(f -> ResponseEntity.ok(view(f))).orElseGet(StoreFaultController::notOffered);
    }

    @PutMapping(PARTITION)
    ResponseEntity<?> partition(HttpServletRequest request) throws IOException {
        if (offered.isEmpty()) {
            return notOffered();
        }
        AdminBody.JsonObject body = AdminBody.object(request, PARTITION_EXAMPLE);
        if (body.error() != null) {
            return body.error();
        }
        ResponseEntity<?> unknown = unknownField(body.root(), List.of("cut", "ttl"), PARTITION_EXAMPLE);
        if (unknown != null) {
            return unknown;
        }
        JsonNode cut = body.root().get("cut");
        if (cut == null || !cut.isArray()) {
            return AdminBody.badRequest("cut", "cut must be a list of links: peers and/or zookeeper, e.g. "
                    + PARTITION_EXAMPLE);
        }
        List<String> links = new ArrayList<>();
        for (JsonNode link : cut) {
            if (!link.isString()) {
                return AdminBody.badRequest("cut", "cut must list names, e.g. " + PARTITION_EXAMPLE);
            }
            links.add(link.asString());
        }
        Optional<Duration> ttl = AdminBody.duration(body.root().get("ttl"));
        if (ttl.isEmpty()) {
            return AdminBody.badRequest("ttl", "ttl is required (" + Durations.EXAMPLES + "), e.g. " + PARTITION_EXAMPLE);
        }
        try {
            offered.get().partition(links, ttl.get());
        } catch (IllegalArgumentException e) {
            return AdminBody.badRequest(e.getMessage().startsWith("ttl") ? "ttl" : "cut", e.getMessage());
        }
        return ResponseEntity.ok(view(offered.get()));
    }

    @PostMapping(PARTITION)
    ResponseEntity<?> partitionByPost(HttpServletRequest request) throws IOException {
        return partition(request);
    }

    @DeleteMapping(PARTITION)
    ResponseEntity<?> heal() {
        offered.ifPresent(StoreFaults::heal);
        return show();
    }

    @PutMapping(PAUSE)
    ResponseEntity<?> pause(HttpServletRequest request) throws IOException {
        if (offered.isEmpty()) {
            return notOffered();
        }
        AdminBody.JsonObject body = AdminBody.object(request, PAUSE_EXAMPLE);
        if (body.error() != null) {
            return body.error();
        }
        ResponseEntity<?> unknown = unknownField(body.root(), List.of("duration", "at"), PAUSE_EXAMPLE);
        if (unknown != null) {
            return unknown;
        }
        Optional<Duration> duration = AdminBody.duration(body.root().get("duration"));
        if (duration.isEmpty()) {
            return AdminBody.badRequest("duration", "duration is required (" + Durations.EXAMPLES + "), e.g. "
                    + PAUSE_EXAMPLE);
        }
        JsonNode at = body.root().get("at");
        if (at != null && !(at.isString() && List.of("now", "next-write").contains(at.asString()))) {
            return AdminBody.badRequest("at", "at must be now or next-write, e.g. " + PAUSE_EXAMPLE);
        }
        try {
            offered.get().pause(duration.get(), at != null && "next-write".equals(at.asString()));
        } catch (IllegalArgumentException e) {
            return AdminBody.badRequest("duration", e.getMessage());
        }
        return ResponseEntity.ok(view(offered.get()));
    }

    @PostMapping(PAUSE)
    ResponseEntity<?> pauseByPost(HttpServletRequest request) throws IOException {
        return pause(request);
    }

    @DeleteMapping(PAUSE)
    ResponseEntity<?> resume() {
        offered.ifPresent(StoreFaults::resume);
        return show();
    }

    @GetMapping(CHECKER)
    ResponseEntity<?> checker() {
        return offered.isEmpty() ? notOffered() : ResponseEntity.ok(Map.copyOf(checker));
    }

    @PutMapping(CHECKER)
    ResponseEntity<?> postChecker(HttpServletRequest request) throws IOException {
        if (offered.isEmpty()) {
            return notOffered();
        }
        AdminBody.JsonObject body = AdminBody.object(request, CHECKER_EXAMPLE);
        if (body.error() != null) {
            return body.error();
        }
        ResponseEntity<?> unknown = unknownField(body.root(), CHECKER_RESULTS, CHECKER_EXAMPLE);
        if (unknown != null) {
            return unknown;
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (String result : CHECKER_RESULTS) {
            JsonNode value = body.root().get(result);
            if (value == null || !value.isIntegralNumber() || value.asLong() < 0) {
                return AdminBody.badRequest(result, result + " must be a count (0 or more), e.g. " + CHECKER_EXAMPLE);
            }
            values.put(result, value.asLong());
        }
        checker.putAll(values);
        return ResponseEntity.ok(Map.copyOf(checker));
    }

    private static ResponseEntity<?> unknownField(JsonNode root, List<String> fields, String example) {
        for (String name : root.propertyNames()) {
            if (!fields.contains(name)) {
                return AdminBody.badRequest(name, "unknown field '" + name + "'; expected " + example);
            }
        }
        return null;
    }

    private static Map<String, Object> view(StoreFaults faults) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cut", new java.util.TreeSet<>(faults.cut()));
        view.put("cutRemainingMs", faults.cutRemainingMillis());
        view.put("links", faults.links());
        view.put("paused", faults.paused());
        view.put("pauseRemainingMs", faults.pauseRemainingMillis());
        Duration armed = faults.armed();
        view.put("pauseArmedMs", armed == null ? 0 : armed.toMillis());
        return view;
    }

    private static ResponseEntity<?> notOffered() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not_found", "message",
                "this service is not a store node: the split-brain lab's store-1, store-2, store-3 are ("
                        + PARTITION + ", " + PAUSE + ", " + CHECKER + " on their management port)"));
    }
}

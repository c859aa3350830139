package dev.failurelab.chain.discovery;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.admin.AdminEndpoint;
import dev.failurelab.contract.Durations;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/**
 * The service-discovery lab's faults on a registered instance ({@link InstanceFaults}), on its
 * management port: {@code /admin/kill} ({@code {"ttl":"30s"}}) and {@code /admin/health-flap}
 * ({@code {"period":"10s","ttl":"60s"}}); {@code PUT} or {@code POST} starts one, {@code DELETE}
 * ends it, {@code GET} shows it. A missing, unknown or out-of-bounds field is a 400 naming it; an
 * instance that is not registered with a registry answers 404.
 */
@AdminEndpoint
public class InstanceFaultController {

    static final String KILL = "/admin/kill";
    static final String FLAP = "/admin/health-flap";
    private static final String KILL_EXAMPLE = "{\"ttl\":\"30s\"}";
    private static final String FLAP_EXAMPLE = "{\"period\":\"10s\",\"ttl\":\"60s\"}";

    private final Optional<InstanceFaults> offered;

    InstanceFaultController(Optional<InstanceFaults> offered) {
        this.offered = offered;
    }

    @GetMapping({KILL, FLAP})
    ResponseEntity<?> show() {
        return offered.<ResponseEntity<?>>map(f -> ResponseEntity.ok(view(f))).orElseGet(this::notOffered);
    }

    @PutMapping(KILL)
    ResponseEntity<?> kill(HttpServletRequest request) throws IOException {
        return start(request, KILL_EXAMPLE, List.of("ttl"), (faults, values) -> faults.kill(values.get("ttl")));
    }

    @PostMapping(KILL)
    ResponseEntity<?> killByPost(HttpServletRequest request) throws IOException {
        return kill(request);
    }

    @DeleteMapping(KILL)
    ResponseEntity<?> revive() {
        offered.ifPresent(InstanceFaults::revive);
        return show();
    }

    @PutMapping(FLAP)
    ResponseEntity<?> flap(HttpServletRequest request) throws IOException {
        return start(request, FLAP_EXAMPLE, List.of("period", "ttl"),
                (faults, values) -> faults.flap(values.get("period"), values.get("ttl")));
    }

    @PostMapping(FLAP)
    ResponseEntity<?> flapByPost(HttpServletRequest request) throws IOException {
        return flap(request);
    }

    @DeleteMapping(FLAP)
    ResponseEntity<?> endFlap() {
        offered.ifPresent(InstanceFaults::endFlap);
        return show();
    }

    private interface Start {
        void apply(InstanceFaults faults, Map<String, Duration> values);
    }

    private ResponseEntity<?> start(HttpServletRequest request, String example, List<String> fields, Start start)
            throws IOException {
        if (offered.isEmpty()) {
            return notOffered();
        }
        AdminBody.JsonObject body = AdminBody.object(request, example);
        if (body.error() != null) {
            return body.error();
        }
        for (String name : body.root().propertyNames()) {
            if (!fields.contains(name)) {
                return AdminBody.badRequest(name, "unknown field '" + name + "'; expected " + example);
            }
        }
        Map<String, Duration> values = new LinkedHashMap<>();
        for (String field : fields) {
            Optional<Duration> value = AdminBody.duration(body.root().get(field));
            if (value.isEmpty()) {
                return AdminBody.badRequest(field, field + " is required (" + Durations.EXAMPLES + "), e.g. " + example);
            }
            values.put(field, value.get());
        }
        try {
            start.apply(offered.get(), values);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            return AdminBody.badRequest(fields.stream().filter(message::startsWith).findFirst().orElse(fields.get(0)),
                    message);
        }
        return ResponseEntity.ok(view(offered.get()));
    }

    private static Map<String, Object> view(InstanceFaults faults) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("killed", faults.killed());
        view.put("killRemainingMs", faults.killRemainingMillis());
        Duration period = faults.flapPeriod();
        view.put("flapPeriodMs", period == null ? 0 : period.toMillis());
        view.put("flapRemainingMs", faults.flapRemainingMillis());
        view.put("health", faults.health().getStatus().getCode());
        return view;
    }

    private ResponseEntity<?> notOffered() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not_found", "message",
                "this service is not an instance registered with a registry: the service-discovery lab's bottoms"
                        + " are (" + KILL + ", " + FLAP + " on their management port)"));
    }
}

package dev.failurelab.chain.capacity;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.admin.AdminEndpoint;
import dev.failurelab.contract.Durations;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/capacity-cut} on the bottom: {@code PUT} (or {@code POST})
 * {@code {"fraction":0.8,"duration":"10s"}} cuts that share of the capacity for that long
 * ({@link CapacityCut}); {@code DELETE} ends it; {@code GET} shows it. Each answers
 * {@code {"fraction":…,"remainingMs":…}}. A missing or out-of-bounds field, or an unknown one, is a
 * 400 naming it.
 */
@AdminEndpoint
public class CapacityCutController {

    static final String PATH = "/admin/capacity-cut";
    private static final String EXAMPLE = "{\"fraction\":0.8,\"duration\":\"10s\"}";

    private final Optional<CapacityCut> offered;

    CapacityCutController(Optional<CapacityCut> offered) {
        this.offered = offered;
    }

    private ResponseEntity<?> notOffered() {
        return ResponseEntity.status(org.springframework.http.HttpStatus.NOT_FOUND).body(Map.of("error", "not_found",
                "message", "this service has no capacity to cut: the bottom has (" + PATH + " on its management port)"));
    }

    @GetMapping(PATH)
    ResponseEntity<?> show() {
        return offered.isEmpty() ? notOffered() : ResponseEntity.ok(current());
    }

    private Map<String, Object> current() {
        CapacityCut cut = offered.orElseThrow();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fraction", cut.fraction());
        view.put("remainingMs", cut.remainingMillis());
        return view;
    }

    @PutMapping(PATH)
    ResponseEntity<?> start(HttpServletRequest request) throws IOException {
        if (offered.isEmpty()) {
            return notOffered();
        }
        CapacityCut cut = offered.get();
        AdminBody.JsonObject body = AdminBody.object(request, EXAMPLE);
        if (body.error() != null) {
            return body.error();
        }
        for (String name : body.root().propertyNames()) {
            if (!name.equals("fraction") && !name.equals("duration")) {
                return AdminBody.badRequest(name, "unknown field '" + name + "'; expected " + EXAMPLE);
            }
        }
        JsonNode fraction = body.root().get("fraction");
        if (fraction == null || !fraction.isNumber()) {
            return AdminBody.badRequest("fraction", "fraction is required: a number between 0 and "
                    + CapacityCut.MAX_FRACTION + ", e.g. " + EXAMPLE);
        }
        Optional<Duration> duration = AdminBody.duration(body.root().get("duration"));
        if (duration.isEmpty()) {
            return AdminBody.badRequest("duration", "duration is required (" + Durations.EXAMPLES + "), e.g. " + EXAMPLE);
        }
        try {
            cut.cut(fraction.doubleValue(), duration.get());
        } catch (IllegalArgumentException e) {
            return AdminBody.badRequest(e.getMessage().startsWith("fraction") ? "fraction" : "duration", e.getMessage());
        }
        return ResponseEntity.ok(current());
    }

    @PostMapping(PATH)
    ResponseEntity<?> startByPost(HttpServletRequest request) throws IOException {
        return start(request);
    }

    @DeleteMapping(PATH)
    ResponseEntity<?> end() {
        if (offered.isEmpty()) {
            return notOffered();
        }
        offered.get().end();
        return ResponseEntity.ok(current());
    }
}

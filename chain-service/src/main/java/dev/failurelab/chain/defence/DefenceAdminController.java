package dev.failurelab.chain.defence;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.admin.AdminEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/**
 * One admin resource per switchable defence: {@code GET /admin/<id>} reads it,
 * {@code PUT} (or {@code POST}) {@code /admin/<id>} with {@code {"<field>":"<option>"}} switches it
 * live, with an optional {@code "lease":"10s"} (the option reverts to the default unless renewed
 * within it; {@code "renew":true} only extends the lease of that option if it is still in force,
 * else 409). The answer is {@code {"<field>":"<option in force>","options":[…],…settings}}, with
 * {@code leaseRemainingMs} while a lease runs. Bad input is a 400 naming the field; a defence this
 * service does not offer is a 404.
 */
@AdminEndpoint
public class DefenceAdminController {

    private final DefenceRegistry defences;

    DefenceAdminController(DefenceRegistry defences) {
        this.defences = defences;
    }

    @GetMapping("/admin/{id}")
    ResponseEntity<?> current(@PathVariable String id) {
        return defences.find(id).<ResponseEntity<?>>map(d -> ResponseEntity.ok(view(d)))
                .orElseGet(() -> notOffered(id));
    }

    @PutMapping("/admin/{id}")
    ResponseEntity<?> switchTo(@PathVariable String id, HttpServletRequest request) throws IOException {
        SwitchableDefence defence = defences.find(id).orElse(null);
        if (defence == null) {
            return notOffered(id);
        }
        String field = defence.defence().field();
        String example = defence.defence().body(defence.defence().options().get(defence.defence().options().size() - 1));
        AdminBody.Parsed parsed = AdminBody.field(request, field, example);
        if (parsed.error() != null) {
            return parsed.error();
        }
        return defence.defence().option(parsed.value())
                .<ResponseEntity<?>>map(option -> {
                    if (parsed.renew()) {
                        if (!defences.renew(defence, option, parsed.lease())) {
                            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "conflict",
                                    "message", field + " " + option + " is no longer in force: nothing renewed"));
                        }
                    } else {
                        defences.switchTo(defence, option, parsed.lease());
                    }
                    return ResponseEntity.ok(view(defence));
                })
                .orElseGet(() -> AdminBody.badRequest(field, "unknown " + field + " '" + parsed.value()
                        + "'; expected one of " + String.join(", ", defence.defence().options())));
    }

    @PostMapping("/admin/{id}")
    ResponseEntity<?> switchByPost(@PathVariable String id, HttpServletRequest request) throws IOException {
        return switchTo(id, request);
    }

    private Map<String, Object> view(SwitchableDefence defence) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(defence.defence().field(), defence.current());
        view.put("options", defence.defence().options());
        defences.leaseRemainingMillis(defence).ifPresent(ms -> view.put("leaseRemainingMs", ms));
        view.putAll(defence.settings());
        return view;
    }

    private ResponseEntity<?> notOffered(String id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not_found", "message",
                "this service offers no defence '" + id + "'; it offers " + defences.ids()));
    }
}

package dev.failurelab.chain.settings;

import dev.failurelab.chain.AdminBody;
import dev.failurelab.chain.admin.AdminEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/**
 * {@code /admin/settings}: {@code GET} shows every live setting ({@code {"chain.client.timeout":"400ms",…}}),
 * {@code PUT} (or {@code POST}) with some of them changes them at once, {@code DELETE} puts every
 * one back to its value at start-up. Each answers with the settings in force. A value of the wrong
 * kind, out of bounds or against another setting, or an unknown key, is a 400 naming the setting,
 * and nothing changes.
 */
@AdminEndpoint
public class SettingsAdminController {

    static final String PATH = "/admin/settings";

    private final LiveSettings settings;

    SettingsAdminController(LiveSettings settings) {
        this.settings = settings;
    }

    @GetMapping(PATH)
    Map<String, Object> current() {
        return shown(settings.current());
    }

    @PutMapping(PATH)
    ResponseEntity<?> change(HttpServletRequest request) throws IOException {
        AdminBody.JsonObject body = AdminBody.object(request, "{\"chain.client.timeout\":\"400ms\"}");
        if (body.error() != null) {
            return body.error();
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, tools.jackson.databind.JsonNode> entry : body.root().properties()) {
                changes.put(entry.getKey(), settings.setting(entry.getKey()).parse(entry.getValue()));
            }
            return ResponseEntity.ok(shown(settings.apply(changes)));
        } catch (Setting.BadSetting e) {
            return AdminBody.badRequest(e.key(), e.getMessage());
        }
    }

    @PostMapping(PATH)
    ResponseEntity<?> changeByPost(HttpServletRequest request) throws IOException {
        return change(request);
    }

    @DeleteMapping(PATH)
    Map<String, Object> reset() {
        return shown(settings.reset());
    }

    private static Map<String, Object> shown(Map<String, Object> values) {
        Map<String, Object> view = new TreeMap<>();
        values.forEach((k, v) -> view.put(k, Setting.show(v)));
        return view;
    }
}

package dev.failurelab.chain.admin;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.InstanceRestarter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * {@code POST /admin/restart}: the instance stops and starts again, its start-up settings back (a
 * live change is lost), its in-flight requests cut, its caches and queues empty: the blunt action an
 * on-call engineer reaches for. 202 while it restarts; 409 where it is a process of its own (compose,
 * the chart's services mode): restart that process instead, as the answer says.
 */
@AdminEndpoint
public class RestartAdminController {

    private final ObjectProvider<InstanceRestarter> restarter;
    private final String name;

    RestartAdminController(ObjectProvider<InstanceRestarter> restarter,
            @Value("${chain.role:chain-service}") String name) {
        this.restarter = restarter;
        this.name = name;
    }

    @PostMapping(AdminPaths.RESTART)
    ResponseEntity<Map<String, Object>> restart() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("instance", name);
        InstanceRestarter here = restarter.getIfAvailable();
        if (here == null) {
            view.put("error", "own-process");
            view.put("message", "this " + name + " runs in a process of its own: restart that process (under compose:"
                    + " docker compose restart <its service>; on Kubernetes: kubectl rollout restart"
                    + " deployment/<its service>)");
            return ResponseEntity.status(HttpStatus.CONFLICT).body(view);
        }
        boolean started = here.restartSoon();
        view.put("restarting", true);
        view.put("message", started ? name + " stops, then starts again with its start-up settings (live changes"
                + " are lost)" : name + " is already restarting");
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
    }
}

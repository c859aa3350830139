package dev.failurelab.lab.control;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * A lab's hand on the fault injector's control API: install a fault with a TTL, clear them all.
 * Every fault a lab sets has a TTL just past the phase that needs it, so even a lab killed
 * mid-run leaves no fault behind for long; a clean stop clears them at once.
 */
public final class FaultControl {

    private final LabHttp http = new LabHttp();
    private final URI control;

    /** @param control the control API's base URL, e.g. {@code http://127.0.0.1:8474} */
    public FaultControl(URI control) {
        this.control = control;
    }

    /** Errors on {@code share} (0..1) of the requests to {@code proxy}, forwarded first (the upstream works). */
    public String injectErrors(String proxy, double share, int status, Duration ttl) {
        return http.send("POST", control.resolve("/proxies/" + proxy + "/faults"), String.format(Locale.ROOT,
                "{\"type\":\"error\",\"probability\":%s,\"status\":%d,\"mode\":\"forwarded\",\"ttl\":\"%dms\"}",
                share, status, ttl.toMillis()));
    }

    /** Clears every fault of every proxy. */
    public void clearAll() {
        http.send("POST", control.resolve("/reset"), null);
    }
}

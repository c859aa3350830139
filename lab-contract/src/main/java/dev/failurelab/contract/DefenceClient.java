package dev.failurelab.contract;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and switches a {@link Defence} on running services through its admin resource, so that
 * no lab, test or command writes the JSON by hand. An unknown option fails here, before any
 * service is called.
 *
 * <p>Thread-safe.
 */
public final class DefenceClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AdminHttp http = new AdminHttp();

    /** The option in force on {@code service} (its base URL). */
    public String current(URI service, Defence defence) {
        return view(service, defence).path(defence.field()).asString();
    }

    /** The admin resource's whole answer on {@code service} (the option and its settings). */
    public JsonNode view(URI service, Defence defence) {
        return JSON.readTree(http.send("GET", service.resolve(defence.path()), null));
    }

    /**
     * Switches every one of {@code services} to {@code option}.
     *
     * @throws IllegalArgumentException if {@code option} is not one of the defence's
     * @throws IllegalStateException    if a service refuses or cannot be reached (the ones before it switched)
     */
    public void switchAll(List<URI> services, Defence defence, String option) {
        switchAll(services, defence, option, null);
    }

    /**
     * Switches every one of {@code services} to {@code option} for {@code lease} (null: for good):
     * each reverts to the default unless switched again within it.
     */
    public void switchAll(List<URI> services, Defence defence, String option, java.time.Duration lease) {
        String valid = defence.option(option).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + defence.field() + " '" + option + "'; expected one of " + defence.options()));
        for (URI service : services) {
            http.send("PUT", service.resolve(defence.path()), defence.body(valid, lease));
        }
    }

    /**
     * Best effort: every one of {@code services} back to the defence's default (a lab's end, or
     * Ctrl-C). A service that is gone or saturated is skipped.
     *
     * @return the services that could not be restored
     */
    public List<URI> restoreDefault(List<URI> services, Defence defence) {
        List<URI> failed = new ArrayList<>();
        for (URI service : services) {
            try {
                http.send("PUT", service.resolve(defence.path()), defence.body(defence.defaultOption()));
            } catch (RuntimeException e) {
                failed.add(service);
            }
        }
        return failed;
    }

    /**
     * Extends the lease of {@code option} on every one of {@code services} where it is still in
     * force (a renewal that crosses a newer switch changes nothing there); best effort.
     */
    public void renewAll(List<URI> services, Defence defence, String option, java.time.Duration lease) {
        String body = "{\"" + defence.field() + "\":\"" + option + "\",\"lease\":\"" + lease.toMillis()
                + "ms\",\"renew\":true}";
        for (URI service : services) {
            try {
                http.send("PUT", service.resolve(defence.path()), body);
            } catch (RuntimeException e) {
                // 409 (switched meanwhile), or a saturated hop that misses one renewal of several
            }
        }
    }
}

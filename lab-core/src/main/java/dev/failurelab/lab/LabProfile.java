package dev.failurelab.lab;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.AppSpec;
import dev.failurelab.lab.topology.Endpoints;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A lab's profile: the settings its defaults file gives each app ({@code topology.<app>.<property>},
 * an app {@code like} another taking that app's first), applied live to services that are already
 * running through their admin API ({@code PUT /admin/settings}), without a restart. So
 * {@code ./lab use NAME} switches a running topology (embedded or compose) to a lab's settings,
 * and {@code ./lab run NAME --target HOST} applies its lab's profile itself and puts the previous
 * settings back when it ends.
 *
 * <p>Every app with a management port serves {@code /admin/settings}. Applying a profile first
 * puts each such app back to its start-up values ({@code DELETE}), then sets the lab's own: the
 * result does not depend on the profile applied before.
 *
 * <p>Immutable; {@link #apply} and {@link #restore} make HTTP calls from the calling thread.
 */
public final class LabProfile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Map<String, String>> byApp;

    private LabProfile(Map<String, Map<String, String>> byApp) {
        this.byApp = byApp;
    }

    /**
     * The profile of {@code settings} on {@code topology}.
     *
     * @throws IllegalArgumentException naming the key if a setting is for an app that is not in the
     *                                  topology, or one without an admin API to take it live
     */
    public static LabProfile of(LabDefaults settings, Topology topology) {
        Map<String, String> all = settings.withPrefix("topology.");
        for (String key : all.keySet()) {
            String app = key.substring(0, Math.max(0, key.indexOf('.')));
            AppSpec spec = topology.app(app).orElseThrow(() -> new IllegalArgumentException("setting 'topology." + key
                    + "' names no app of the topology " + topology.name() + " ("
                    + String.join(", ", topology.apps().stream().map(AppSpec::name).toList()) + ")"));
            if (spec.managementPorts().isEmpty()) {
                throw new IllegalArgumentException("setting 'topology." + key + "': the app " + app
                        + " has no management port, so no admin API to change it live");
            }
        }
        Map<String, Map<String, String>> byApp = new LinkedHashMap<>();
        for (AppSpec app : topology.apps()) {
            if (app.managementPorts().isEmpty()) {
                continue;
            }
            Map<String, String> values = new TreeMap<>();
            if (app.like() != null) {
                values.putAll(settings.withPrefix("topology." + app.like() + "."));
            }
            values.putAll(settings.withPrefix("topology." + app.name() + "."));
            byApp.put(app.name(), values);
        }
        return new LabProfile(byApp);
    }

    /** The start-up settings of every app of {@code topology} with an admin API (what {@code ./lab use default} applies). */
    public static LabProfile startUp(Topology topology) {
        Map<String, Map<String, String>> byApp = new LinkedHashMap<>();
        topology.apps().stream().filter(app -> !app.managementPorts().isEmpty())
                .forEach(app -> byApp.put(app.name(), Map.of()));
        return new LabProfile(byApp);
    }

    /** The settings of each app with an admin API (empty: its start-up values). */
    public Map<String, Map<String, String>> byApp() {
        return byApp;
    }

    /**
     * Puts every app with an admin API back to its start-up values, then sets this profile's.
     *
     * @return one line per instance, saying what it now runs with
     * @throws IllegalStateException naming the URL if a service refuses a setting or cannot be reached
     */
    public List<String> apply(Endpoints endpoints) {
        AdminHttp http = new AdminHttp();
        List<String> lines = new ArrayList<>();
        byApp.forEach((app, values) -> {
            ObjectNode body = JSON.createObjectNode();
            values.forEach(body::put);
            for (URI admin : endpoints.managements(app)) {
                URI settings = admin.resolve(AdminPaths.SETTINGS);
                http.send("DELETE", settings, null);
                if (!values.isEmpty()) {
                    http.send("PUT", settings, body.toString());
                }
                lines.add(app + " (" + admin + "): " + (values.isEmpty() ? "start-up settings"
                        : values.size() + " settings: " + String.join(", ", values.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).toList())));
            }
        });
        return lines;
    }

    /** Every instance's settings in force now, by admin URL, to {@link #restore} later. */
    public Map<URI, JsonNode> capture(Endpoints endpoints) {
        AdminHttp http = new AdminHttp();
        Map<URI, JsonNode> captured = new LinkedHashMap<>();
        for (String app : byApp.keySet()) {
            for (URI admin : endpoints.managements(app)) {
                URI settings = admin.resolve(AdminPaths.SETTINGS);
                captured.put(settings, JSON.readTree(http.send("GET", settings, null)));
            }
        }
        return captured;
    }

    /**
     * Puts captured settings back, best effort.
     *
     * @return the admin URLs that could not be restored
     */
    public static List<URI> restore(Map<URI, JsonNode> captured) {
        AdminHttp http = new AdminHttp();
        List<URI> failed = new ArrayList<>();
        captured.forEach((settings, values) -> {
            try {
                http.send("PUT", settings, values.toString());
            } catch (IllegalStateException e) {
                failed.add(settings);
            }
        });
        return failed;
    }
}

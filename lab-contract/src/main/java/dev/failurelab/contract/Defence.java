package dev.failurelab.contract;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A defence a service can switch live, without a restart: retry policies, cache recompute
 * strategies, and each later lab's (breaker on or off, queue discipline, hashing scheme, …).
 * Every defence has the same shape:
 * <ul>
 *   <li>one admin resource, {@code GET}/{@code PUT /admin/<id>} with {@code {"<field>":"<option>"}}
 *       and an optional {@code "lease"} (the switch reverts to the default unless renewed within it);
 *       the answer names the option in force under {@code field} and lists {@code options};</li>
 *   <li>one gauge, {@code <meter>{<field>="<option>"}}: 1 for the option in force, 0 for the others;</li>
 *   <li>one script helper ({@code lib/admin.sh}'s {@code admin_each}) behind the {@code apply-*.sh} scripts.</li>
 * </ul>
 *
 * @param id            the resource's name, e.g. {@code retry-policy}
 * @param field         the JSON field and the gauge's tag, e.g. {@code policy}
 * @param meter         the gauge's dotted name, e.g. {@code chain.retry.policy}
 * @param options       the options, the undefended one first
 * @param defaultOption the option a service starts with (and a lab restores)
 * @param description   what it switches, in words
 */
public record Defence(String id, String field, String meter, List<String> options, String defaultOption,
        String description) {

    public Defence {
        if (id == null || !id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("id must be lower-case words joined by '-', got " + id);
        }
        if (field == null || !field.matches("[a-z][a-zA-Z0-9]*")) {
            throw new IllegalArgumentException("field must be a JSON field name, got " + field);
        }
        if (options == null || options.isEmpty()) {
            throw new IllegalArgumentException("options must name at least one option");
        }
        options = List.copyOf(options);
        if (!options.contains(defaultOption)) {
            throw new IllegalArgumentException("defaultOption '" + defaultOption + "' is not one of " + options);
        }
    }

    /** The admin resource's path, {@code /admin/<id>}. */
    public String path() {
        return "/admin/" + id;
    }

    /** The gauge's Prometheus name. */
    public String prometheusGauge() {
        return PrometheusNames.gauge(meter);
    }

    /** {@code text} as one of the options (case-insensitive), or empty. */
    public Optional<String> option(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return options.stream().filter(wanted::equals).findFirst();
    }

    /** The JSON body that switches to {@code option} for good, e.g. {@code {"policy":"budget"}}. */
    public String body(String option) {
        return "{\"" + field + "\":\"" + option + "\"}";
    }

    /**
     * The JSON body that switches to {@code option} for {@code lease}, e.g.
     * {@code {"policy":"budget","lease":"10000ms"}}: the service reverts to the default unless the
     * switch is renewed within it.
     */
    public String body(String option, java.time.Duration lease) {
        return lease == null ? body(option)
                : "{\"" + field + "\":\"" + option + "\",\"lease\":\"" + lease.toMillis() + "ms\"}";
    }
}

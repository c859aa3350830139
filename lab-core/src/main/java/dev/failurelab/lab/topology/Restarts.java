package dev.failurelab.lab.topology;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.metrics.PrometheusScraper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Restarting a topology's services through their admin API ({@link AdminPaths#RESTART}): the blunt
 * action of an incident ({@code ./lab restart}, {@code ./lab drill restart}). Every app but the fault
 * injector (the lab's instrument, not the system under test) can restart; "all" is every one of
 * them at once, as {@code docker compose restart} does.
 *
 * <p>Stateless; thread-safe.
 */
public final class Restarts {

    /** The name of every restartable app at once. */
    public static final String ALL = "all";

    private static final String START_TIME = PrometheusNames.gauge(ChainMetricNames.INSTANCE_START_TIME);

    private Restarts() {
    }

    /**
     * The instances of {@code apps} (app names, or {@link #ALL}), by instance name: their admin API.
     *
     * @throws IllegalArgumentException naming the apps that may restart, for an app not among them
     */
    public static Map<String, URI> instances(Endpoints endpoints, List<String> apps) {
        List<AppSpec> restartable = endpoints.topology().apps().stream()
                .filter(app -> !app.kind().equals(Topology.INJECTOR_KIND)).toList();
        Map<String, URI> chosen = new LinkedHashMap<>();
        for (String name : apps) {
            List<AppSpec> matched = ALL.equals(name) ? restartable
                    : restartable.stream().filter(app -> app.name().equals(name)).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("no app '" + name + "' to restart: " + ALL + ", or one of "
                        + restartable.stream().map(AppSpec::name).toList());
            }
            for (AppSpec app : matched) {
                List<URI> admins = endpoints.managements(app.name());
                for (int i = 0; i < admins.size(); i++) {
                    chosen.put(app.instanceNames().get(i), admins.get(i));
                }
            }
        }
        return chosen;
    }

    /**
     * Asks every instance to restart, all at once; one line each: what it answered, or why not.
     *
     * @throws IllegalStateException if none could be asked
     */
    public static List<String> request(Map<String, URI> instances) {
        AdminHttp http = new AdminHttp();
        List<String> lines = new ArrayList<>();
        int asked = 0;
        for (Map.Entry<String, URI> instance : instances.entrySet()) {
            try {
                http.send("POST", instance.getValue().resolve(AdminPaths.RESTART), null);
                lines.add(instance.getKey() + ": restarting");
                asked++;
            } catch (IllegalStateException e) {
                lines.add(instance.getKey() + ": " + e.getMessage());
            }
        }
        if (asked == 0) {
            throw new IllegalStateException(String.join("; ", lines));
        }
        return lines;
    }

    /** When each instance started, as its meter says (NaN for one that does not answer). */
    public static Map<String, Double> startTimes(Map<String, URI> instances) {
        PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(2));
        Map<String, Double> started = new LinkedHashMap<>();
        instances.forEach((name, admin) -> {
            var snapshot = scraper.scrape(admin.resolve(AdminPaths.PROMETHEUS));
            started.put(name, !snapshot.samples().containsKey(START_TIME) ? Double.NaN : snapshot.sum(START_TIME));
        });
        return started;
    }

    /**
     * Waits until every instance answers with a start time other than {@code before}'s; one line each:
     * how long it took, or that it did not within {@code limit}.
     */
    public static List<String> await(Map<String, URI> instances, Map<String, Double> before, Duration limit)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Map<String, String> done = new LinkedHashMap<>();
        while (done.size() < instances.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            Map<String, URI> waiting = new LinkedHashMap<>(instances);
            waiting.keySet().removeAll(done.keySet());
            startTimes(waiting).forEach((name, started) -> {
                Double was = before.get(name);
                if (!started.isNaN() && (was == null || was.isNaN() || started.doubleValue() != was.doubleValue())) {
                    done.put(name, String.format(Locale.ROOT, "%s: up again after %.1f s", name,
                            (System.nanoTime() - start) / 1e9));
                }
            });
        }
        List<String> lines = new ArrayList<>();
        for (String name : instances.keySet()) {
            lines.add(done.getOrDefault(name, name + ": not up again within " + limit.toSeconds() + " s"));
        }
        return lines;
    }
}

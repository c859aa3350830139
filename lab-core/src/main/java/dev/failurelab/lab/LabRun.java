package dev.failurelab.lab;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.FaultControl;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.experiment.Watches;
import dev.failurelab.lab.topology.Endpoints;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of a {@link Lab}: its settings, where the topology answers, where progress goes, and the
 * timeline it records. The platform makes one per run.
 *
 * <p>Thread-safe (the timeline is; the rest is immutable).
 */
public final class LabRun {

    private final Lab lab;
    private final LabDefaults settings;
    private final Endpoints endpoints;
    private final Consumer<String> progress;
    private final EventTimeline timeline = new EventTimeline();
    private final DefenceClient defences = new DefenceClient();
    /** Each switched defence's option, by defence and apps: what {@link #renewLeases()} renews. */
    private final Map<Map.Entry<Defence, List<String>>, String> switched = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.time.Duration lease;
    private volatile boolean stopping;
    /** The settings the target ran with before {@link #applyProfile()}, until {@link #restore()} puts them back. */
    private volatile Map<URI, tools.jackson.databind.JsonNode> profileBefore;

    public LabRun(Lab lab, LabDefaults settings, Endpoints endpoints, Consumer<String> progress) {
        this.lab = lab;
        this.settings = settings;
        this.endpoints = endpoints;
        this.progress = progress;
    }

    public Lab lab() {
        return lab;
    }

    /** The lab's defaults with the run's overrides. */
    public LabDefaults settings() {
        return settings;
    }

    /** Where the topology's apps answer. */
    public Endpoints endpoints() {
        return endpoints;
    }

    /** Prints a progress line (one per second, or per step). */
    public void progress(String line) {
        progress.accept(line);
    }

    /** What happened during the run ({@code timeline.jsonl}). */
    public EventTimeline timeline() {
        return timeline;
    }

    /** The fault injector of the topology (injections fail once the run is stopping). */
    public FaultControl faults() {
        return new FaultControl(endpoints.control(), () -> !stopping);
    }

    /**
     * The run is stopping (Ctrl-C, or its end): from now on no fault may be injected and no defence
     * switched, so nothing the experiment's thread still does can undo the clean-up.
     */
    public void stop() {
        stopping = true;
    }

    /** A new set of the lab's {@code watch.*} thresholds, recording on this run's timeline. */
    public Watches watches() {
        return Watches.from(settings, timeline);
    }

    /** The base URLs of every instance of {@code apps}. */
    public List<URI> urls(List<String> apps) {
        List<URI> urls = new ArrayList<>();
        apps.forEach(app -> urls.addAll(endpoints.urls(app)));
        return urls;
    }

    /** The base URLs of every instance's actuator and admin API, for {@code apps}. */
    public List<URI> managements(List<String> apps) {
        List<URI> urls = new ArrayList<>();
        apps.forEach(app -> urls.addAll(endpoints.managements(app)));
        return urls;
    }

    /** The option of {@code defence} in force on the first of {@code apps}. */
    public String currentDefence(Defence defence, List<String> apps) {
        return defences.current(managements(apps).get(0), defence);
    }

    /**
     * Leases every switch for {@code lease} from now on: the platform renews them while the run
     * lives ({@link #renewLeases()}), so a run that dies leaves no defence switched for longer.
     */
    public void leaseSwitches(java.time.Duration lease) {
        this.lease = lease;
    }

    /**
     * Renews the lease of every defence switched so far, where its option is still in force (best
     * effort, from any thread: a renewal never undoes a newer switch).
     */
    public void renewLeases() {
        java.time.Duration current = lease;
        if (current == null) {
            return;
        }
        switched.forEach((key, option) -> defences.renewAll(managements(key.getValue()), key.getKey(), option, current));
    }

    /** Switches {@code defence} to {@code option} on every instance of {@code apps}, and records it. */
    public void switchDefence(Defence defence, List<String> apps, String option) {
        if (stopping) {
            throw new IllegalStateException("the run is stopping: no more switches");
        }
        defences.switchAll(managements(apps), defence, option, lease);
        switched.put(Map.entry(defence, List.copyOf(apps)), option);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("defence", defence.id());
        values.put(defence.field(), option);
        timeline.record(EventTimeline.DEFENCE_SWITCHED, defence.field() + " switched to " + option + " on "
                + String.join(", ", apps), values);
    }

    /**
     * Changes live settings ({@code PUT /admin/settings}) on every instance of {@code apps}, and
     * records it: how a drill sets the state a system ran in before its incident, or starts one that
     * is a change of setting (an origin that slows). An embedded topology ends with the run; against
     * {@code --target}, the lab's profile restore puts the settings before the run back.
     *
     * @throws IllegalStateException if a service refuses a setting or is down
     */
    public void changeSettings(List<String> apps, Map<String, String> values) {
        if (stopping) {
            throw new IllegalStateException("the run is stopping: no more changes");
        }
        tools.jackson.databind.node.ObjectNode body = tools.jackson.databind.json.JsonMapper.builder().build()
                .createObjectNode();
        values.forEach(body::put);
        dev.failurelab.contract.AdminHttp http = new dev.failurelab.contract.AdminHttp();
        for (URI admin : managements(apps)) {
            http.send("PUT", admin.resolve(dev.failurelab.contract.AdminPaths.SETTINGS), body.toString());
        }
        timeline.record(EventTimeline.SETTINGS_APPLIED, "settings changed on " + String.join(", ", apps) + ": "
                + String.join(", ", values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                new LinkedHashMap<>(values));
    }

    /**
     * Brings the services back to a healthy state between two parts of an experiment: runs
     * {@code switchBack} (the lab's switches to their defaults) until the services accept it (a
     * hop still saturated may answer late: it is retried each second), waits {@code settle} with no
     * load so the queues drain, then until {@code probe} answers 200 five times in a row, each
     * within a second. All within a minute.
     *
     * @throws IllegalStateException if the services are not back within a minute
     */
    public void settle(Runnable switchBack, java.time.Duration settle, URI probe) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                switchBack.run();
                break;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                progress("waiting for the hops to drain: " + e.getMessage());
                Thread.sleep(1000);
            }
        }
        Thread.sleep(settle.toMillis());
        dev.failurelab.contract.AdminHttp http = new dev.failurelab.contract.AdminHttp();
        int healthy = 0;
        while (healthy < 5) {
            healthy = http.status(probe, java.time.Duration.ofSeconds(1)) == 200 ? healthy + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(probe + " did not answer promptly again within a minute");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Applies the lab's profile ({@link LabProfile}) to services that were already running, having
     * noted their settings, which {@link #restore()} puts back.
     *
     * @return one line per instance, saying what it now runs with
     */
    public List<String> applyProfile() {
        LabProfile profile = LabProfile.of(settings, endpoints.topology());
        Map<URI, tools.jackson.databind.JsonNode> before = profile.capture(endpoints);
        profileBefore = before;
        List<String> lines = profile.apply(endpoints);
        timeline.record(EventTimeline.SETTINGS_APPLIED, "the lab's profile applied live", Map.of("instances",
                lines.size()));
        return lines;
    }

    /**
     * Every defence of the lab back to its default, faults cleared, then the lab's own restore; best
     * effort, recorded on the timeline. The platform calls it once when a run ends.
     */
    public void restore() {
        stop();
        switched.clear();
        if (profileBefore != null) {
            List<URI> failed = LabProfile.restore(profileBefore);
            timeline.record(EventTimeline.SETTINGS_APPLIED, "settings in force before the run put back"
                    + (failed.isEmpty() ? "" : " (unreachable: " + failed + ")"), Map.of());
            profileBefore = null;
        }
        if (endpoints.topology().injector().isPresent()) {
            faults().clearAllQuietly();
            timeline.record(EventTimeline.FAULTS_CLEARED, "faults cleared at the end of the run", Map.of());
        }
        lab.defences().forEach((defence, apps) -> {
            List<URI> failed = defences.restoreDefault(managements(apps), defence);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("defence", defence.id());
            values.put(defence.field(), defence.defaultOption());
            timeline.record(EventTimeline.DEFENCE_SWITCHED, defence.field() + " restored to "
                    + defence.defaultOption() + " on " + String.join(", ", apps)
                    + (failed.isEmpty() ? "" : " (unreachable: " + failed + ")"), values);
        });
        lab.restore(this);
    }
}

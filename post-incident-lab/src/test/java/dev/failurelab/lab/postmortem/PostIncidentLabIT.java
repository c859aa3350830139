package dev.failurelab.lab.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.EventTimeline.Event;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.report.ReportWriter;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.retrystorm.RetryStormLab;
import dev.failurelab.lab.retrystorm.RetryStormResult;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.LabSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lab 11.3 on a real (shortened) retry-storm run: the run records a timeline whose events are in
 * order and match what the injector and the services did; the post-mortem drafted from it carries
 * those times and numbers; the lint refuses the draft as generated and accepts a completed one.
 */
class PostIncidentLabIT {

    /** The retry-storm IT's short run (its calibrated 8 s brownout), with short observations. */
    private static final Map<String, String> SHORT = new java.util.HashMap<>(RetryStormLab.SHORT_RUN);

    static {
        SHORT.putAll(Map.of("phase.observe.naive", "4s", "phase.observe.backoff", "3s", "phase.observe.budget", "3s"));
    }

    @Test
    void aRecordedRun_yieldsAnOrderedTimeline_andADraftWithItsTimesAndNumbers_thatTheLintRefusesUntilDone()
            throws Exception {
        Lab lab = LabRegistry.load().get("retry-storm");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(SHORT);
        Path runDir;
        LabResult result;
        List<Event> events;
        try (EmbeddedTopology topology = EmbeddedTopology.builder(lab.topology().withFreePorts()).labSettings(settings)
                .start()) {
            LabSession session = LabSession.attach(lab, settings, topology.endpoints(), line -> { });
            result = session.run(line -> {
            });
            runDir = new ReportWriter(Path.of("target", "post-incident-runs")).write(result, session.timeline());
            events = EventTimeline.read(runDir.resolve("timeline.jsonl"));

            // The timeline matches what the injector did: three brownouts, three faults injected.
            double injected = new PrometheusScraper(Duration.ofSeconds(5))
                    .scrape(topology.controlUrl().resolve("/actuator/prometheus"))
                    .sum("fault_injected_total", Map.of("proxy", "bottom"));
            assertThat(injected).as("the injector fired the faults the timeline records").isPositive();
            assertThat(new AdminHttp().send("GET", topology.management("edge").resolve("/admin/retry-policy"), null))
                    .as("the last policy switch recorded is the one in force").contains("\"policy\":\"none\"");
        }

        // Against running services (--target), the lab's profile is applied before the run starts.
        assertThat(events.get(0).type()).isEqualTo(EventTimeline.SETTINGS_APPLIED);
        assertThat(events.get(1).type()).isEqualTo(EventTimeline.RUN_STARTED);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(EventTimeline.RUN_FINISHED);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).at()).as("event %d in order", i).isAfterOrEqualTo(events.get(i - 1).at());
        }
        List<String> sequence = events.stream().filter(e -> e.type().equals(EventTimeline.FAULT_INJECTED)
                || e.type().equals(EventTimeline.FAULTS_CLEARED)
                || e.type().equals(EventTimeline.DEFENCE_SWITCHED) && !"none".equals(e.values().get("policy")))
                .map(e -> e.type() + (e.values().containsKey("policy") ? ":" + e.values().get("policy") : "")).toList();
        assertThat(sequence).containsSubsequence("defence_switched:naive", "fault_injected", "faults_cleared:naive",
                "defence_switched:backoff", "fault_injected", "faults_cleared:backoff", "defence_switched:budget",
                "fault_injected", "faults_cleared:budget");
        Event naiveFault = events.stream().filter(e -> e.type().equals(EventTimeline.FAULT_INJECTED)).findFirst()
                .orElseThrow();
        Event storm = events.stream().filter(e -> e.type().equals(EventTimeline.THRESHOLD_CROSSED)
                && "amplification".equals(e.values().get("threshold"))).findFirst().orElseThrow();
        assertThat(storm.at()).as("the storm is detected after its trigger").isAfter(naiveFault.at());
        assertThat((Double) storm.values().get("value")).isGreaterThan(2.0);

        String draft = PostmortemDraft.from(runDir);
        Files.writeString(runDir.resolve("postmortem-draft.md"), draft);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
        assertThat(draft).contains("| " + time.format(naiveFault.at()) + " | fault injected: 50% errors on the bottom");
        assertThat(draft).contains("- First signal: " + storm.message() + " at " + time.format(storm.at()));
        double peak = ((RetryStormResult) result.data()).policies().get(0).peakAmplification();
        assertThat(draft).contains(String.format(Locale.ROOT, "amplification %.2fx", peak));
        assertThat(draft).containsPattern("- Failed user requests: \\d+ of \\d+");
        assertThat(PostmortemLint.SECTIONS).allSatisfy(section -> assertThat(draft).contains("## " + section + "\n"));

        List<String> gaps = PostmortemLint.check(draft);
        assertThat(gaps).as("the draft as generated is refused").isNotEmpty()
                .anySatisfy(gap -> assertThat(gap).contains("a prompt is left"))
                .anySatisfy(gap -> assertThat(gap).startsWith("Action items: 0 with an owner"));
        assertThat(gaps).noneSatisfy(gap -> assertThat(gap).startsWith("Timeline"))
                .noneSatisfy(gap -> assertThat(gap).startsWith("Impact"));
    }
}

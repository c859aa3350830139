package dev.failurelab.lab.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.LabSession;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.FaultControl;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.report.ReportWriter;
import java.util.List;
import dev.failurelab.lab.report.HeadlessBrowser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import javax.imageio.ImageIO;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retry-storm experiment, shortened, on the real embedded topology: naive retries amplify the
 * load and keep the storm going after the fault is gone; backoff cuts the bottom's load (by 25% or more); the
 * budget keeps amplification near 1.1 and recovers at once. The thresholds are the lab's own
 * ({@code retry-storm.properties}); only the phases are shorter.
 */
class RetryStormLabIT {

    @Test
    void naiveStormsAndStaysStormy_backoffCutsTheLoad_budgetHoldsAndRecovers() throws Exception {
        Lab lab = LabRegistry.load().get("retry-storm");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(RetryStormLab.SHORT_RUN);
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result;
        try {
            result = session.run(System.out::println);
        } finally {
            session.cleanup();
        }
        RetryStormResult data = (RetryStormResult) result.data();
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(data.policies()).extracting(PolicyResult::policy).containsExactly("naive", "backoff", "budget");
        assertThat(session.timeline().events()).extracting(e -> e.type().id())
                .as("the platform cleared the faults and restored the policy, once").containsSubsequence(
                        "faults_cleared", "defence_switched", "run_finished")
                .filteredOn("run_finished"::equals).hasSize(1);
        assertThat(result.incident().runbook()).isEqualTo("runbooks/retry-storm.md");
        assertThat(result.incident().trigger()).as("the trigger is the naive brownout's fault")
                .isEqualTo(session.timeline().events().stream().filter(e -> e.type().equals(EventTimeline.FAULT_INJECTED))
                        .findFirst().orElseThrow().at());

        assertHtmlReportShowsTheRun(result, data);
    }

    @Test
    void theRestore_leavesNoFaultAndThePolicyNone_onARunningTopology() throws Exception {
        Lab lab = LabRegistry.load().get("retry-storm");
        LabDefaults settings = LabDefaults.load(lab.defaults());
        try (EmbeddedTopology topology = EmbeddedTopology.builder(lab.topology().withFreePorts()).labSettings(settings)
                .start()) {
            AdminHttp http = new AdminHttp();
            // Settings of its own before the run: the run applies the lab's profile, then puts these back.
            URI edgeSettings = topology.management("edge").resolve("/admin/settings");
            http.send("PUT", edgeSettings, "{\"chain.client.timeout\":\"1s\"}");
            List<String> applied = new java.util.ArrayList<>();
            LabSession session = LabSession.attach(lab, settings, topology.endpoints(), applied::add);
            assertThat(applied).as("one line per instance").hasSize(3);
            assertThat(http.send("GET", edgeSettings, null)).as("the lab's profile, live")
                    .contains("\"chain.client.timeout\":\"4000ms\"");
            new DefenceClient().switchAll(List.of(topology.management("edge"), topology.management("middle")), Defences.RETRY_POLICY,
                    "naive");
            new FaultControl(topology.controlUrl()).injectErrors("bottom", 0.5, 503, Duration.ofMinutes(5));

            session.cleanup();
            session.cleanup();

            assertThat(http.send("GET", topology.controlUrl().resolve("/faults"), null)).as("no fault left behind")
                    .isEqualTo("[]");
            for (String hop : List.of("edge", "middle")) {
                assertThat(http.send("GET", topology.management(hop).resolve("/admin/retry-policy"), null))
                        .as("policy restored on " + hop).contains("\"policy\":\"none\"");
            }
            assertThat(http.send("GET", edgeSettings, null)).as("the settings before the run, back")
                    .contains("\"chain.client.timeout\":\"1000ms\"");
            assertThat(session.timeline().events()).extracting(e -> e.type().id())
                    .as("profile applied, then cleaned once").containsExactly("settings_applied", "settings_applied",
                            "faults_cleared", "defence_switched", "run_finished");
            assertThat(http.status(topology.url("edge").resolve("/api/chain"), Duration.ofSeconds(5))).isEqualTo(200);
        }
    }

    /** The HTML report of this real run: every series with one point per sample, verdicts as in the result. */
    private static void assertHtmlReportShowsTheRun(LabResult result, RetryStormResult data) throws Exception {
        String html = ReportWriter.html(result);
        for (PolicyResult policy : data.policies()) {
            assertThat(html).contains("<h2>Policy " + policy.policy() + "</h2>");
            for (String[] series : new String[][] {{"edge req/s", RetryStormFigures.EDGE_RPS},
                    {"bottom req/s", RetryStormFigures.BOTTOM_RPS}, {"success", RetryStormFigures.SUCCESS},
                    {"p99 ms", RetryStormFigures.P99_MS}, {"tokens", RetryStormFigures.BUDGET_TOKENS}}) {
                long samples = policy.seconds().stream().filter(s -> Double.isFinite(s.figure(series[1]))).count();
                assertThat(html).as(policy.policy() + " " + series[0])
                        .contains("data-series=\"" + series[0] + "\" data-points=\"" + samples + "\"");
            }
        }
        assertThat(html.split("<rect class=\"band\"", -1)).as("one brownout band per chart").hasSize(
                data.policies().size() * 4 + 1);
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"" + check.passed() + "\"");
        }
        assertThat(html).doesNotContain("http://cdn", "https://", "<script");

        Path report = Path.of("target", "retry-storm-report.html");
        Files.writeString(report, html);
        Path png = Path.of("target", "retry-storm-report.png");
        HeadlessBrowser browser = HeadlessBrowser.find().orElseThrow(() -> new AssertionError(
                "chromium is not on the PATH: ./test installs it (or apt-get install chromium)"));
        browser.screenshot(report, png, 1280, 2400);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG Chromium wrote").isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(2400);
        java.util.Set<Integer> colors = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colors.add(image.getRGB(x, y));
            }
        }
        assertThat(colors.size()).as("distinct colours: the report rendered, not a blank page").isGreaterThan(20);
    }
}

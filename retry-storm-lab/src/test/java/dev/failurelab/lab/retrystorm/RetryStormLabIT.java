package dev.failurelab.lab.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.topology.EmbeddedTopology;
import dev.failurelab.topology.TopologyPorts;
import dev.failurelab.lab.report.HeadlessBrowser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final Map<String, String> SHORTENED = Map.of(
            "phase.warmup", "5s",
            "phase.baseline", "5s",
            "phase.brownout", "15s",
            "phase.observe.backoff", "8s",
            "phase.observe.budget", "8s");

    @Test
    void naiveStormsAndStaysStormy_backoffCutsTheLoad_budgetHoldsAndRecovers() throws Exception {
        LabDefaults settings = LabDefaults.load(RetryStormLab.DEFAULTS).with(SHORTENED);
        try (EmbeddedTopology topology = EmbeddedTopology.builder().ports(TopologyPorts.free())
                .labSettings(settings).start()) {
            RetryStormTargets targets = new RetryStormTargets(topology.url(EmbeddedTopology.App.EDGE),
                    topology.url(EmbeddedTopology.App.MIDDLE), topology.url(EmbeddedTopology.App.BOTTOM),
                    topology.controlUrl());

            RetryStormResult result = new RetryStormLab(settings, targets, System.out::println).run();

            System.out.println(result.table());
            result.checks().forEach(check -> System.out.println(check.line()));
            for (Check check : result.checks()) {
                assertThat(check.passed()).as(check.line()).isTrue();
            }
            assertThat(result.policies()).extracting(PolicyResult::policy).containsExactly("naive", "backoff", "budget");
            AdminHttp http = new AdminHttp();
            assertThat(http.send("GET", topology.controlUrl().resolve("/faults"), null))
                    .as("no fault left behind").isEqualTo("[]");
            assertThat(http.send("GET", topology.edgeUrl().resolve("/admin/retry-policy"), null))
                    .as("policy restored").contains("\"policy\":\"none\"");
            assertThat(http.status(topology.edgeUrl().resolve("/api/chain"), Duration.ofSeconds(5))).isEqualTo(200);

            assertHtmlReportShowsTheRun(result);
        }
    }

    /** The HTML report of this real run: every series with one point per sample, verdicts as in the result. */
    private static void assertHtmlReportShowsTheRun(RetryStormResult result) throws Exception {
        String html = result.html();
        for (PolicyResult policy : result.policies()) {
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
                result.policies().size() * 4 + 1);
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"" + check.passed() + "\"");
        }
        assertThat(html).doesNotContain("http://cdn", "https://", "<script");

        Path report = Path.of("target", "retry-storm-report.html");
        Files.writeString(report, html);
        Path png = Path.of("target", "retry-storm-report.png");
        HeadlessBrowser browser = HeadlessBrowser.find().orElseThrow(() -> new AssertionError(
                "chromium is not on the PATH: install it (apt-get install chromium; .ci/run does)"));
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

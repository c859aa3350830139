package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A lab added through the lab contract alone (lab-core's test lab {@code hop-latency}, registered
 * in its test {@code META-INF/services}): {@code ./lab list}, {@code ./lab run}, its report and its
 * post-mortem draft work with no change anywhere else.
 */
class LabThroughTheContractIT {


    private final LabCli cli = new LabCli();

    @Test
    void aLabRegisteredThroughTheContract_isListed_runs_reports_andDraftsAPostmortem() throws IOException {
        assertThat(cli.run("list")).isZero();
        assertThat(cli.out.toString()).contains("hop-latency", "Hop latency (test lab)");

        Path runs = Path.of("target", "contract-lab-runs");
        int exit = cli.run("run", "hop-latency", "--out", runs.toString());
        assertThat(exit).as(cli.out + "\n" + cli.err).isZero();
        assertThat(cli.out.toString()).contains("starting the embedded topology", "baseline", "fault",
                "PASS added-p50-ms", "PASSED");
        Path runDir;
        try (Stream<Path> dirs = Files.list(runs)) {
            runDir = dirs.filter(d -> d.getFileName().toString().startsWith("hop-latency-")).max(Path::compareTo)
                    .orElseThrow();
        }
        for (String file : new String[] {"report.html", "result.json", "summary.md", "timeline.jsonl"}) {
            assertThat(runDir.resolve(file)).as(file).isNotEmptyFile();
        }
        assertThat(Files.readString(runDir.resolve("report.html"))).contains("Hop latency (test lab)",
                "data-check=\"added-p50-ms\" data-passed=\"true\"", "<h2>Edge p50</h2>");
        assertThat(Files.readString(runDir.resolve("result.json"))).contains("\"lab\" : \"hop-latency\"",
                "\"incident\"", "\"baselineP50Ms\"");
        assertThat(Files.readString(runDir.resolve("timeline.jsonl"))).contains("\"type\":\"fault_injected\"",
                "\"type\":\"threshold_crossed\"", "\"type\":\"run_finished\"");

        assertThat(cli.run("postmortem", runDir.toString())).isZero();
        String draft = Files.readString(runDir.resolve("postmortem-draft.md"));
        assertThat(draft).contains("# Post-mortem: slow bottom: +200 ms", "- First signal: crossed: p50 ms above 100",
                "- Runbook: runbooks/cascading-failure.md", "*Chain overview*");
    }
}

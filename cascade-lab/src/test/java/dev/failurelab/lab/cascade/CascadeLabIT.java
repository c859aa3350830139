package dev.failurelab.lab.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.report.ReportWriter;
import dev.failurelab.topology.LabSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cascade experiment on the real embedded topology, shortened ({@link CascadeLab#SHORT_RUN}):
 * one cell that naive retries do not recover from, the same cell under every defence (it
 * recovers), and one defence alone on it; every hypothesis of {@code cascade.properties} checked
 * with its own threshold.
 */
class CascadeLabIT {

    @Test
    void naiveRetriesStayDown_allDefencesRecover_theReportDrawsTheMap() throws Exception {
        CascadeLab lab = (CascadeLab) LabRegistry.load().get("cascade");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(CascadeLab.SHORT_RUN);
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println); // cleans up (and stops the topology) as it ends
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("naive.metastable-cells",
                "naive.amplification", "shedding.unrecovered-cells", "all.recovery-s", "all.amplification",
                "all.breaker-open-s", "all.answered");

        CascadeResult data = (CascadeResult) result.data();
        assertThat(data.rows()).containsExactly("naive", "all", "shedding");
        CellResult naive = data.row("naive").get(0);
        assertThat(naive.outcome()).isEqualTo(CellResult.METASTABLE);
        assertThat(naive.seconds()).extracting(s -> s.phase()).containsSubsequence("baseline", "trigger", "observe");
        assertThat(data.row("all").get(0).outcome()).isEqualTo(CellResult.RECOVERED);
        assertThat(data.row("shedding")).hasSize(1);

        String html = ReportWriter.html(result);
        assertThat(html).contains("data-map=\"naive\"", "data-map=\"all\"",
                "data-row=\"naive\" data-cell=\"" + naive.cell() + "\" data-outcome=\"metastable\"",
                "data-row=\"all\" data-cell=\"" + naive.cell() + "\" data-outcome=\"recovered\"",
                "Which cells each defence rescues alone", "in the trigger: ", "Signature: naive");
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"true\"");
        }
        assertThat(ReportWriter.markdown(result)).contains("| naive ", "## Hypotheses");
        assertThat(result.incident().runbook()).isEqualTo("runbooks/cascading-failure.md");

        List<EventTimeline.Event> events = session.timeline().events();
        assertThat(events).extracting(e -> e.type().id()).containsSubsequence("run_started", "defence_switched",
                "trigger_started", "threshold_crossed", "trigger_started", "recovered", "run_finished");
        assertThat(events).filteredOn(e -> e.type().equals(CascadeLab.TRIGGER)).hasSize(3);
    }
}

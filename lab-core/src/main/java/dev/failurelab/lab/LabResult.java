package dev.failurelab.lab;

import dev.failurelab.lab.experiment.Check;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What every lab's run produces, in one shape: the hypotheses checked, the comparison table, the
 * lab's own Markdown and HTML sections, the incident to draft a post-mortem from, and the lab's
 * own data (written to {@code result.json}). The platform turns it into {@code report.html},
 * {@code summary.md} and {@code result.json} ({@link dev.failurelab.lab.report.ReportWriter}).
 *
 * @param lab          the lab's name
 * @param title        the report's title, e.g. "Retry storm (lab 11.1)"
 * @param subtitle     one paragraph: when it started, the load, the trigger
 * @param startedAt    when the run started
 * @param settings     every setting in force (defaults plus overrides)
 * @param checks       the hypotheses, checked
 * @param table        the comparison table (Markdown), as printed at the end of a run
 * @param markdown     the lab's own Markdown sections (e.g. per second), after the hypotheses
 * @param htmlSections the lab's own HTML sections (charts, tables), after the verdicts
 * @param incident     the undefended part of the run, for {@code ./lab postmortem}
 * @param data         the lab's own result (serialised as JSON under {@code data})
 */
public record LabResult(String lab, String title, String subtitle, Instant startedAt, Map<String, String> settings,
        List<Check> checks, String table, String markdown, String htmlSections, Incident incident, Object data) {

    public LabResult {
        settings = Map.copyOf(settings);
        checks = List.copyOf(checks);
    }

    /** Whether every hypothesis held. */
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }
}

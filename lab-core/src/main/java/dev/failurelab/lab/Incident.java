package dev.failurelab.lab;

import java.time.Instant;
import java.util.List;

/**
 * The undefended part of a lab run, told as an incident: what {@code ./lab postmortem} drafts a
 * post-mortem from (with the run's {@code timeline.jsonl}). Each lab says which part of its run
 * the incident is (the retry storm: the naive policy's brownout and what followed; the stampede:
 * the burst at the expiry under {@code none}).
 *
 * @param title          one line, e.g. "retry storm after 50% errors on the bottom"
 * @param failedRequests user requests that failed during it
 * @param totalRequests  user requests sent during it
 * @param start          when it started (the trigger, or the instant it hit)
 * @param end            when it ended (recovery, or the last answer)
 * @param recovery       how it ended, in words ("recovered by itself", "not recovered when …")
 * @param peak           its worst figures, in words
 * @param trigger        when the trigger happened (the first threshold crossed after it is the detection)
 * @param runbook        the failure mode's runbook, e.g. {@code runbooks/retry-storm.md}
 * @param dashboards     the Grafana dashboards to open
 */
public record Incident(String title, double failedRequests, double totalRequests, Instant start, Instant end,
        String recovery, String peak, Instant trigger, String runbook, List<String> dashboards) {

    public Incident {
        dashboards = List.copyOf(dashboards);
    }
}

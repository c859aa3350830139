package dev.failurelab.lab.dns;

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
 * The DNS experiment on the real embedded topology (the chain, the fault proxies and the lab's DNS
 * servers, each a server of its own), shortened ({@link DnsLab#SHORT_RUN}): every row, every
 * hypothesis of {@code dns.properties} checked with its own threshold.
 */
class DnsLabIT {

    @Test
    void anOutageFailsEveryNewConnectionBeforeTheNetwork_serveStaleRidesItOut_theReportShowsEachRow()
            throws Exception {
        DnsLab lab = (DnsLab) LabRegistry.load().get("dns");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(DnsLab.SHORT_RUN);
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println); // cleans up (and stops the topology) as it ends
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("outage.onset-s", "outage.peak-errors",
                "outage.proxy-share", "outage.recovery-s", "outage-serve-stale.errors", "slow.p99-growth-ms",
                "slow-refresh.p99-ratio");

        DnsResult data = (DnsResult) result.data();
        assertThat(data.rows()).extracting(RowResult::row)
                .containsExactly("outage", "outage-serve-stale", "slow", "slow-refresh");
        RowResult outage = data.row("outage").orElseThrow();
        assertThat(outage.unknownHost()).as("the hops' unknown-host attempts under the outage").isPositive();
        assertThat(outage.onsetSeconds()).as("errors wait for the cache and the connections to run out")
                .isGreaterThan(1);
        assertThat(data.row("outage-serve-stale").orElseThrow().staleServed()).as("stale answers served").isPositive();

        String html = ReportWriter.html(result);
        assertThat(html).contains("Signature: outage", "Signature: slow-refresh",
                "Errors, unknown-host attempts and the bottom");
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"true\"");
        }
        assertThat(ReportWriter.markdown(result)).contains("| outage-serve-stale ", "## Hypotheses", "### slow");
        assertThat(result.incident().runbook()).isEqualTo("runbooks/dns-outage.md");

        List<EventTimeline.Event> events = session.timeline().events();
        assertThat(events).extracting(e -> e.type().id()).containsSubsequence("run_started", "defence_switched",
                "dns_fault", "dns_restored", "run_finished");
        assertThat(events).filteredOn(e -> e.type().equals(DnsLab.DNS_FAULT)).hasSize(4);
    }
}

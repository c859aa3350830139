package dev.failurelab.lab.discovery;

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
 * The service-discovery experiment on the real embedded topology (a Eureka registry, five bottoms
 * registered with it, the middle finding them there, the fault proxy in front of the registry),
 * shortened ({@link ServiceDiscoveryLab#SHORT_RUN}): the rows of the registry's side
 * ({@link ServiceDiscoveryLab#REGISTRY_ROWS}), each hypothesis checked with its threshold in
 * {@code service-discovery.properties}; {@link ServiceDiscoveryClientIT} runs the client's rows.
 */
class ServiceDiscoveryLabIT {

    @Test
    void eachDiscoveryFaultShowsItsSignature_andEachDefenceHolds_theReportShowsEachRow() throws Exception {
        ServiceDiscoveryLab lab = (ServiceDiscoveryLab) LabRegistry.load().get("service-discovery");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(ServiceDiscoveryLab.SHORT_RUN)
                .with(java.util.Map.of("rows", ServiceDiscoveryLab.REGISTRY_ROWS));
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println); // cleans up (and stops the topology) as it ends
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("registry-outage.errors",
                "heartbeats.evictions", "heartbeats.errors", "heartbeats-no-preservation.evictions",
                "heartbeats-no-preservation.errors", "kill.errors", "kill.stale-window-s", "kill-retry.errors");

        DiscoveryResult data = (DiscoveryResult) result.data();
        assertThat(data.row("registry-outage").orElseThrow().maxRegistryAge())
                .as("the middle's registry data aged through the outage").isGreaterThan(3);
        assertThat(data.row("heartbeats").orElseThrow().selfPreservingSeconds())
                .as("self-preservation held the evictions").isPositive();
        assertThat(data.row("kill-retry").orElseThrow().retries()).as("calls retried on another instance").isPositive();

        String html = ReportWriter.html(result);
        assertThat(html).contains("Signature: heartbeats-no-preservation", "Instances: registered, known to the middle");
        for (Check check : result.checks()) {
            assertThat(html).contains("data-check=\"" + check.name() + "\" data-passed=\"true\"");
        }
        assertThat(ReportWriter.markdown(result)).contains("| kill-retry ", "## Hypotheses", "### heartbeats-no-preservation");
        assertThat(result.incident().runbook()).isEqualTo("runbooks/service-discovery-failure.md");

        List<EventTimeline.Event> events = session.timeline().events();
        assertThat(events).extracting(e -> e.type().id()).containsSubsequence("run_started", "defence_switched",
                "discovery_fault", "discovery_restored", "run_finished");
        assertThat(events).filteredOn(e -> e.type().equals(ServiceDiscoveryLab.DISCOVERY_FAULT)).hasSize(5);
    }
}

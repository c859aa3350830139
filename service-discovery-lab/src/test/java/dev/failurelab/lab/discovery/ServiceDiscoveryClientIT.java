package dev.failurelab.lab.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.topology.LabSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service-discovery lab's rows of the client's side, shortened ({@link ServiceDiscoveryLab#CLIENT_ROWS}):
 * a client that drops old registry data fails through a registry outage, plain health checks follow
 * a flapping instance in and out while hysteresis keeps it out, and outlier ejection takes a killed
 * instance out before the registry does; each hypothesis checked with its threshold in
 * {@code service-discovery.properties}.
 */
class ServiceDiscoveryClientIT {

    @Test
    void aClientThatDropsOldDataFails_hysteresisStopsTheFlapping_outlierEjectionTakesTheDeadInstanceOut() throws Exception {
        ServiceDiscoveryLab lab = (ServiceDiscoveryLab) LabRegistry.load().get("service-discovery");
        LabDefaults settings = LabDefaults.load(lab.defaults()).with(ServiceDiscoveryLab.SHORT_RUN)
                .with(Map.of("rows", ServiceDiscoveryLab.CLIENT_ROWS));
        LabSession session = LabSession.start(lab, settings, lab.topology().withFreePorts(), true);
        LabResult result = session.run(System.out::println);
        System.out.println(result.table());
        result.checks().forEach(check -> System.out.println(check.line()));
        for (Check check : result.checks()) {
            assertThat(check.passed()).as(check.line()).isTrue();
        }
        assertThat(result.checks()).extracting(Check::name).containsExactly("registry-outage-drop.peak-errors",
                "flapping.changes", "flapping-hysteresis.changes", "kill-ejection.ejections", "kill-ejection.errors");
        DiscoveryResult data = (DiscoveryResult) result.data();
        RowResult ejection = data.row("kill-ejection").orElseThrow();
        assertThat(ejection.staleWindowSeconds()).as("ejected before its lease could expire (6 s)").isLessThan(6);
        assertThat(data.row("flapping").orElseThrow().membershipChanges())
                .as("plain checks follow the flapping; hysteresis does not")
                .isGreaterThan(data.row("flapping-hysteresis").orElseThrow().membershipChanges());
    }
}

package dev.failurelab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.lab.LabRegistry;
import dev.failurelab.observability.Runbook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DrillCatalogueTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private final DrillCatalogue catalogue = DrillCatalogue.of(LabRegistry.load().all(), Drill.runbooks(ROOT));

    @Test
    void theLabsDeclareTheirFailureModes_throughTheContract() {
        assertThat(catalogue.failureModes()).contains("retry-storm");
        assertThat(catalogue.entries()).allSatisfy(entry -> assertThat(entry.lab().drills().stream()
                .map(d -> d.failureMode())).contains(entry.failureMode()));
    }

    @Test
    void aSeed_drawsTheSameFailureMode_everyTime() {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(catalogue.draw(new Random(seed), List.of()).failureMode())
                    .isEqualTo(catalogue.draw(new Random(seed), List.of()).failureMode());
        }
        assertThat(catalogue.draw(new Random(3), List.of("retry-storm")).failureMode()).isEqualTo("retry-storm");
    }

    @Test
    void anUnknownMode_isRefusedNamingTheCatalogue() {
        assertThatThrownBy(() -> catalogue.draw(new Random(1), List.of("gremlins")))
                .hasMessageContaining("--mode: no failure mode 'gremlins'").hasMessageContaining("retry-storm");
    }

    @Test
    void everyFailureModeOfTheCatalogue_hasARunbookADrillCanFollow() {
        for (String mode : catalogue.failureModes()) {
            Runbook runbook = Runbook.read(Drill.runbooks(ROOT), mode);
            assertThat(runbook.alerts()).as(mode + ": its Detection names an alert").isNotEmpty();
            assertThat(runbook.detectionQueries()).as(mode + ": its Detection gives the PromQL").isNotEmpty();
            assertThat(runbook.immediateCommands()).as(mode + ": its Immediate actions give commands in ```bash blocks")
                    .isNotEmpty();
            for (String command : runbook.immediateCommands()) {
                String program = command.split("\\s+")[0];
                if (program.contains("/")) {
                    assertThat(ROOT.resolve(program)).as(mode + ": " + command).isRegularFile();
                    assertThat(Files.isExecutable(ROOT.resolve(program))).as(mode + ": " + program + " executable")
                            .isTrue();
                }
            }
        }
    }
}

package dev.failurelab.lab.cascade;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.Defence;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.topology.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A metastable cascade as a hidden drill: every hop already retries naively (the latent condition),
 * then a drawn share of the bottom's capacity goes away for a few seconds (a slow dependency, a lost
 * node). The cut ends by itself long before anyone reacts; the chain stays down, held there by its
 * own retries and its deep queue, until the runbook's actions remove the sustaining load. Ranges in
 * {@code cascade.properties} ({@code drill.*}).
 */
final class CascadeDrill implements DrillScenario {

    /** The lab's defences: the runbook's steps switch among them (retries, deadlines, shedding ...). */
    private final List<Defence> mitigations;

    CascadeDrill(List<Defence> mitigations) {
        this.mitigations = List.copyOf(mitigations);
    }

    @Override
    public String failureMode() {
        return "cascading-failure";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        return DrillScenarios.chainLoad(run, "edge", duration);
    }

    @Override
    public void prepare(LabRun run) {
        DrillScenarios.retriesOnEveryHop(run, CascadeLab.CALLERS);
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        LabDefaults settings = run.settings();
        double fraction = DrillScenarios.draw(random, settings, "drill.cut.fraction");
        Duration lasts = DrillScenarios.drawDuration(random, settings, "drill.cut.lasts");
        new AdminHttp().send("PUT", run.endpoints().management("bottom").resolve(CascadeLab.CAPACITY_CUT),
                String.format(Locale.ROOT, "{\"fraction\":%.2f,\"duration\":\"%dms\"}", fraction, DrillScenarios.atMost(lasts, ttl).toMillis()));
        return new Injection(String.format(Locale.ROOT, "%.0f%% of the bottom's capacity cut for %d s (naive retries"
                + " on every hop held the chain down after it)", fraction * 100, lasts.toSeconds()), fraction, lasts);
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        double fraction = DrillScenarios.middle(settings, "drill.cut.fraction");
        Duration lasts = DrillScenarios.middleDuration(settings, "drill.cut.lasts");
        // Metastable: the steady state is checked 30 s after the cut ended, and it has not come back.
        return new ExperimentSteps(
                List.of(DrillScenarios.retriesOnEveryHopStep(settings)),
                List.of(Step.command("bottom-capacity-cut", String.format(Locale.ROOT,
                        "cascade-lab/scripts/capacity-cut.sh %.2f ${fault_ttl}", fraction))),
                lasts, lasts.plusSeconds(30), List.of(
                        Step.command("capacity-back", "cascade-lab/scripts/capacity-cut.sh end"),
                        DrillScenarios.retryPolicyDefaultStep(),
                        Step.command("cascade-defences-default", "cascade-lab/scripts/apply-no-defences.sh")));
    }

    @Override
    public String badRatio(String window) {
        return DrillScenarios.edgeErrorRatio(window);
    }

    @Override
    public List<Defence> mitigations() {
        return mitigations;
    }
}

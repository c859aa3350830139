package dev.failurelab.lab.retrystorm;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.topology.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The retry storm as a hidden drill: every hop already retries naively (the latent condition), then
 * the bottom answers a drawn share of its requests with 503s for a drawn time. The storm outlives
 * the trigger, so the runbook's retry budget, not the fault's end, is what mitigates it. Ranges in
 * {@code retry-storm.properties} ({@code drill.*}).
 */
final class RetryStormDrill implements DrillScenario {

    @Override
    public String failureMode() {
        return "retry-storm";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        return DrillScenarios.chainLoad(run, "edge", duration);
    }

    @Override
    public void prepare(LabRun run) {
        DrillScenarios.retriesOnEveryHop(run, RetryStormLab.CALLERS);
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        LabDefaults settings = run.settings();
        double share = DrillScenarios.draw(random, settings, "drill.fault.share");
        Duration lasts = DrillScenarios.drawDuration(random, settings, "drill.fault.lasts");
        run.faults().injectErrors("bottom", share, 503, DrillScenarios.atMost(lasts, ttl));
        return new Injection(String.format(Locale.ROOT, "%.0f%% errors (503) on the bottom, for %d s", share * 100,
                lasts.toSeconds()), share, lasts);
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        double share = DrillScenarios.middle(settings, "drill.fault.share");
        Duration lasts = DrillScenarios.middleDuration(settings, "drill.fault.lasts");
        // The storm outlives its trigger: the steady state is checked 40 s after the fault's end.
        return new ExperimentSteps(
                List.of(DrillScenarios.retriesOnEveryHopStep(settings)),
                List.of(Step.command("bottom-answers-503",
                        String.format(Locale.ROOT, "./fault.sh --ttl ${fault_ttl} inject %.0f%%", share * 100))),
                lasts, lasts.plusSeconds(40),
                List.of(Step.command("clear-faults", "./fault.sh clear"), DrillScenarios.retryPolicyDefaultStep()));
    }

    @Override
    public String badRatio(String window) {
        return DrillScenarios.edgeErrorRatio(window);
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.RETRY_POLICY);
    }
}

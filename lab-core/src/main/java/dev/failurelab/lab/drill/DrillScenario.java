package dev.failurelab.lab.drill;

import dev.failurelab.contract.Defence;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.load.BackgroundLoad;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.RunningLoad;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A failure mode a chaos drill ({@code ./lab drill}) can hide behind the usual load, declared by the
 * lab that reproduces it ({@link dev.failurelab.lab.Lab#drills()}): the drill runs on that lab's
 * topology and settings. The drill, not the scenario, owns the clock, the observation, the stop
 * conditions and the rollback: a scenario only says how its incident starts.
 *
 * <p>An instance serves one drill ({@link dev.failurelab.lab.Lab#drills()} makes new ones for each):
 * it may hold that drill's state, such as the load whose mix its trigger shifts. Randomness comes
 * from the drill's seeded generator only, so {@code ./lab drill --seed N} replays the same incident.
 */
public interface DrillScenario {

    /**
     * The failure mode: the name of its runbook ({@code runbooks/<failureMode>.md}), and what a
     * participant declares ({@code ./lab drill declare <failureMode>}).
     */
    String failureMode();

    /**
     * The usual load for {@code duration}, open loop, as the lab's own run sends it. A scenario whose
     * users are not open-loop HTTP requests overrides {@link #startLoad} instead.
     */
    default LoadSpec load(LabRun run, Duration duration) {
        throw new UnsupportedOperationException(failureMode() + ": its usual load is its own (startLoad)");
    }

    /**
     * Starts the usual load for at most {@code duration}, in the background: by default
     * {@link #load} open loop. {@code failed} hears of a failure that ends it early.
     */
    default RunningLoad startLoad(LabRun run, Duration duration, Consumer<RuntimeException> failed) {
        return BackgroundLoad.start(load(run, duration), "drill-load", failed);
    }

    /**
     * The system as it ran before the incident (the latent condition the trigger turns into an
     * outage, e.g. naive retries on every hop). Done before the clock starts; the participant is
     * not told.
     */
    default void prepare(LabRun run) {
    }

    /**
     * Starts the incident: injects the trigger, its severity and timing drawn from {@code random}
     * within the scenario's documented ranges, no fault living past {@code ttl}.
     *
     * @return what the drill reveals at the end (the fault, its severity, its timing)
     */
    Injection inject(LabRun run, RandomGenerator random, Duration ttl);

    /**
     * Ends what {@link #inject} started that no fault's TTL ends (a load of its own, such as a batch
     * job's requests). The drill calls it once at its rollback, however the drill ends, before the
     * lab's own restore; faults and defences are the platform's to restore.
     */
    default void rollback(LabRun run) {
    }

    /**
     * The service level indicator the error budget is spent on: a PromQL expression of the share
     * of bad events over {@code window} (e.g. {@code 1m}), between 0 and 1.
     */
    String badRatio(String window);

    /**
     * The defences its runbook switches: any other defence a participant switches during the drill
     * is collateral change, scored as a blunt action.
     */
    List<Defence> mitigations();

    /**
     * The incident as a Chaos Toolkit experiment's steps, at the middle of the scenario's ranges,
     * against the topology's default {@code endpoints} ({@code ./lab drill experiment write}).
     */
    ExperimentSteps experiment(dev.failurelab.lab.experiment.LabDefaults settings,
            dev.failurelab.lab.topology.Endpoints endpoints);

    /**
     * What was injected.
     *
     * @param fault    the fault in words, e.g. "42% errors on the bottom, for 75 s"
     * @param severity the drawn severity as a number (the scenario's own unit, e.g. an error share)
     * @param lasts    how long the trigger itself lasts (the failure may outlive it)
     */
    record Injection(String fault, double severity, Duration lasts) {
    }
}

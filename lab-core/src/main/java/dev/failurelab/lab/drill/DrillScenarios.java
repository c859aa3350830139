package dev.failurelab.lab.drill;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What several labs' {@link DrillScenario}s share: drawing from a range, a trigger bounded by the
 * drill's TTL, the latent retries on every hop (with its experiment steps), the chain's load and SLI.
 */
public final class DrillScenarios {

    private DrillScenarios() {
    }

    /** A duration drawn uniformly between {@code min} and {@code max} (both included), whole seconds. */
    public static Duration between(RandomGenerator random, Duration min, Duration max) {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("the range's maximum " + max + " is below its minimum " + min);
        }
        return Duration.ofSeconds(random.nextLong(min.toSeconds(), max.toSeconds() + 1));
    }

    /** A number drawn uniformly between {@code min} and {@code max} (both included), to two decimals. */
    public static double between(RandomGenerator random, double min, double max) {
        if (max < min) {
            throw new IllegalArgumentException("the range's maximum " + max + " is below its minimum " + min);
        }
        return Math.round(random.nextDouble(min, Math.nextUp(max)) * 100) / 100.0;
    }

    /** A number drawn between the settings {@code range-min} and {@code range-max} (e.g. {@code drill.fault.share}). */
    public static double draw(RandomGenerator random, dev.failurelab.lab.experiment.LabDefaults settings,
            String range) {
        return between(random, settings.number(range + "-min"), settings.number(range + "-max"));
    }

    /** A duration drawn between the settings {@code range-min} and {@code range-max} (e.g. {@code drill.fault.lasts}). */
    public static Duration drawDuration(RandomGenerator random, dev.failurelab.lab.experiment.LabDefaults settings,
            String range) {
        return between(random, settings.duration(range + "-min"), settings.duration(range + "-max"));
    }

    /** The middle of the settings' range {@code range-min} .. {@code range-max}: what an experiment file uses. */
    public static double middle(dev.failurelab.lab.experiment.LabDefaults settings, String range) {
        return (settings.number(range + "-min") + settings.number(range + "-max")) / 2;
    }

    /** The middle of the settings' duration range {@code range-min} .. {@code range-max}. */
    public static Duration middleDuration(dev.failurelab.lab.experiment.LabDefaults settings, String range) {
        return settings.duration(range + "-min").plus(settings.duration(range + "-max")).dividedBy(2);
    }

    /** How long a trigger lasts: as drawn, but never past the drill's {@code ttl}. */
    public static Duration atMost(Duration lasts, Duration ttl) {
        return lasts.compareTo(ttl) < 0 ? lasts : ttl;
    }

    /**
     * The latent condition of the chain's retry failures: the {@code callers} retry with the lab's
     * {@code drill.latent-policy} (naive: the multiplier) before the incident.
     */
    public static void retriesOnEveryHop(dev.failurelab.lab.LabRun run, java.util.List<String> callers) {
        run.switchDefence(dev.failurelab.contract.Defences.RETRY_POLICY, callers,
                run.settings().string("drill.latent-policy"));
    }

    /** {@link #retriesOnEveryHop} as an experiment's step. */
    public static ExperimentSteps.Step retriesOnEveryHopStep(dev.failurelab.lab.experiment.LabDefaults settings) {
        String policy = settings.string("drill.latent-policy");
        return ExperimentSteps.Step.command("every-hop-retries-" + policy, "./retry-policy.sh " + policy);
    }

    /** The rollback of {@link #retriesOnEveryHopStep}: every hop's retry policy back to its default. */
    public static ExperimentSteps.Step retryPolicyDefaultStep() {
        return ExperimentSteps.Step.command("retry-policy-default", "./retry-policy.sh "
                + dev.failurelab.contract.Defences.RETRY_POLICY.defaultOption());
    }

    /**
     * The usual drill load of most labs: open loop at {@code drill.load.rate} requests per second on
     * {@code app}'s chain endpoint, each request given up after {@code load.timeout}.
     */
    public static dev.failurelab.lab.load.LoadSpec chainLoad(dev.failurelab.lab.LabRun run, String app,
            Duration duration) {
        return dev.failurelab.lab.load.LoadSpec.of(run.endpoints().url(app).resolve(
                dev.failurelab.contract.AdminPaths.CHAIN), run.settings().number("drill.load.rate"), duration)
                .withTimeout(run.settings().duration("load.timeout"));
    }

    /**
     * The chain's SLI: the share of the edge's answers that are not a success, over {@code window}
     * (the recording rule {@code chain:edge_error_ratio:rate5m}'s expression, any window, for the drill's
     * one stack: without its grouping by namespace).
     */
    public static String edgeErrorRatio(String window) {
        return errorRatio("edge", window);
    }

    /** The share of {@code role}'s answers that are not a success, over {@code window}: the SLI where the load enters there. */
    public static String errorRatio(String role, String window) {
        return "sum(rate(chain_requests_seconds_count{role=\"" + role + "\",outcome!=\"success\"}[" + window + "]))"
                + " / sum(rate(chain_requests_seconds_count{role=\"" + role + "\"}[" + window + "]))";
    }
}

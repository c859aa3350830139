package dev.failurelab.lab.drill;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** What several labs' {@link DrillScenario}s share: drawing from a range, the chain's SLI. */
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
     * (the recording rule {@code chain:edge_error_ratio:rate5m}'s expression, any window).
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

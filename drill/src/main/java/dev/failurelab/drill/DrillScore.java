package dev.failurelab.drill;

import dev.failurelab.lab.experiment.LabDefaults;
import java.time.Duration;

/**
 * A drill's score out of 100 ({@code drill.properties}, {@code score.*} and {@code penalty.*}):
 * the diagnosis, how fast it was detected and mitigated, the error budget burned, less the
 * penalties for wrong declarations and blunt actions. Never below 0.
 *
 * @param diagnosis points for a right diagnosis
 * @param detect    points for the time to detect
 * @param mitigate  points for the time to mitigate
 * @param budget    points for the error budget left
 * @param penalties points taken off
 * @param total     the score
 */
public record DrillScore(double diagnosis, double detect, double mitigate, double budget, double penalties,
        double total) {

    /**
     * The score of a drill.
     *
     * @param rightDiagnosis    whether the last declaration named the failure mode
     * @param timeToDetect      to the first right declaration, or null
     * @param timeToMitigate    to the calm that made it mitigated, or null
     * @param budgetBurned      in minutes at a burn rate of 1
     * @param wrongDeclarations before the right one (or all, without one)
     * @param bluntActions      counted
     */
    public static DrillScore of(LabDefaults settings, boolean rightDiagnosis, Duration timeToDetect,
            Duration timeToMitigate, double budgetBurned, int wrongDeclarations, int bluntActions) {
        double limit = settings.duration("stop.after").toMillis();
        double diagnosis = rightDiagnosis ? settings.number("score.diagnosis") : 0;
        double detect = timeToDetect == null ? 0
                : settings.number("score.detect") * Math.max(0, 1 - timeToDetect.toMillis() / limit);
        double mitigate = timeToMitigate == null ? 0
                : settings.number("score.mitigate") * Math.max(0, 1 - timeToMitigate.toMillis() / limit);
        double budgetCap = settings.number("stop.burn") * limit / 60_000.0;
        double budget = settings.number("score.budget") * Math.max(0, 1 - budgetBurned / budgetCap);
        double penalties = wrongDeclarations * settings.number("penalty.wrong-declaration")
                + bluntActions * settings.number("penalty.blunt-action");
        double total = Math.max(0, diagnosis + detect + mitigate + budget - penalties);
        return new DrillScore(round(diagnosis), round(detect), round(mitigate), round(budget), round(penalties),
                round(total));
    }

    private static double round(double points) {
        return Math.round(points * 10) / 10.0;
    }
}

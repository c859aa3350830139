package dev.failurelab.drill;

import dev.failurelab.lab.drill.DrillScenario.Injection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one drill was and how it went: the hidden fault (revealed), the participant's declarations
 * and actions, the burn second by second, the outcome and the score.
 *
 * @param seed           the seed that drew the fault ({@code --seed} replays it)
 * @param participant    who ran it
 * @param failureMode    the failure mode drawn
 * @param lab            the lab whose topology it ran on
 * @param injection      the fault, its severity and timing
 * @param startedAt      when the drill (the load) started
 * @param injectedAt     when the trigger came: the incident's start, from which detection and
 *                       mitigation are timed
 * @param endedAt        when it ended (before the rollback)
 * @param outcome        how it ended
 * @param declarations   every declaration, in order
 * @param timeToDetect   from the trigger to the first right declaration, or null
 * @param timeToMitigate from the trigger to the start of the calm that made it mitigated, or null
 * @param budgetBurned   the error budget burned after the trigger, in minutes at a burn rate of 1
 * @param peakBurn       the highest burn rate after the trigger
 * @param alertsFired    every alert that fired after the trigger, in order
 * @param bluntActions   each blunt action, in words
 * @param seconds        the drill second by second
 * @param score          the score
 * @param incident       the drill told as an incident, rebuilt from Prometheus and the timeline (what
 *                       {@code ./lab postmortem} drafts from)
 */
public record DrillResult(long seed, String participant, String failureMode, String lab, Injection injection,
        Instant startedAt, Instant injectedAt, Instant endedAt, Outcome outcome, List<Declaration> declarations,
        Duration timeToDetect, Duration timeToMitigate, double budgetBurned, double peakBurn, List<String> alertsFired,
        List<String> bluntActions, List<Second> seconds, DrillScore score, dev.failurelab.lab.Incident incident) {

    /** How a drill ended. */
    public enum Outcome {
        /** The burn stayed under its threshold long enough after the impact. */
        MITIGATED("mitigated"),
        /** Stop condition: the burn above its limit for too long. */
        STOPPED_BURN("stopped: the burn stayed above its limit"),
        /** Stop condition: not mitigated in time. */
        STOPPED_TIME("stopped: not mitigated in time"),
        /** Ctrl-C, or the drill could not go on. */
        INTERRUPTED("interrupted");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** A diagnosis: what the participant declared, when. */
    public record Declaration(Instant at, String failureMode, boolean right) {
    }

    /**
     * One second of the drill.
     *
     * @param at     when
     * @param burn   the burn rate (NaN when the SLI had no events)
     * @param alerts the alerts firing
     */
    public record Second(Instant at, double burn, List<String> alerts) {
    }

    /** Whether the last declaration was right. */
    public boolean diagnosedRight() {
        return !declarations.isEmpty() && declarations.get(declarations.size() - 1).right();
    }
}

package dev.failurelab.lab.drill;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A drill's incident written as the steps of a Chaos Toolkit experiment
 * ({@link DrillScenario#experiment}): the project's own scripts (run from the project's folder) and
 * admin calls, with the middle of the scenario's ranges, so that a team runs the same experiment
 * in staging with Chaos Toolkit, and the lab runs it with {@code ./lab drill experiment run}.
 *
 * @param latent    the latent condition, in the lab only (staging keeps its system as it runs)
 * @param trigger   the fault; a command's {@code ${fault_ttl}} is the experiment's configuration
 *                  value {@code fault_ttl} ({@code ttl}), which Chaos Toolkit substitutes too
 * @param ttl       how long the fault lives
 * @param observe   how long after the trigger the steady state is checked again (within the fault
 *                  for a failure that lasts as long as it, after its end for one that outlives it)
 * @param rollbacks what puts the system back, whatever happened
 */
public record ExperimentSteps(List<Step> latent, List<Step> trigger, Duration ttl, Duration observe,
        List<Step> rollbacks) {

    public ExperimentSteps {
        latent = List.copyOf(latent);
        trigger = List.copyOf(trigger);
        rollbacks = List.copyOf(rollbacks);
        if (trigger.isEmpty() || ttl.isNegative() || ttl.isZero() || observe.isNegative() || observe.isZero()) {
            throw new IllegalArgumentException("an experiment needs a trigger, a positive TTL and observation");
        }
    }

    /**
     * One action: a command line (Chaos Toolkit's {@code process} provider) or a JSON {@code PUT}
     * ({@code http} provider).
     *
     * @param name       what it does, kebab-case
     * @param command    the command line, its program relative to the project's folder; or null
     * @param url        the URL of an admin call; or null
     * @param body       the admin call's JSON body (string values)
     * @param background runs while the next steps go on (a load, for instance)
     */
    public record Step(String name, String command, URI url, Map<String, String> body, boolean background) {

        public Step {
            Objects.requireNonNull(name, "name");
            if ((command == null) == (url == null)) {
                throw new IllegalArgumentException("a step is a command or an admin call: " + name);
            }
            body = body == null ? Map.of() : Map.copyOf(body);
        }

        /** The command line {@code line}, run to its end. */
        public static Step command(String name, String line) {
            return new Step(name, line, null, null, false);
        }

        /** The command line {@code line}, in the background. */
        public static Step background(String name, String line) {
            return new Step(name, line, null, null, true);
        }

        /** A {@code PUT} of {@code body} as JSON to {@code url}. */
        public static Step put(String name, URI url, Map<String, String> body) {
            return new Step(name, null, url, body, false);
        }
    }
}

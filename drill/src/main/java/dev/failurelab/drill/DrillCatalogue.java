package dev.failurelab.drill;

import dev.failurelab.lab.Lab;
import dev.failurelab.lab.drill.DrillScenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The failure modes a drill may draw: every {@link DrillScenario} the registered labs declare
 * ({@link Lab#drills()}), each with the runbook of its failure mode.
 */
public final class DrillCatalogue {

    /** One failure mode and the lab it runs on. */
    public record Entry(Lab lab, DrillScenario scenario) {
        public String failureMode() {
            return scenario.failureMode();
        }
    }

    private final List<Entry> entries;

    private DrillCatalogue(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * The catalogue of {@code labs}.
     *
     * @param runbooks the runbook library: every failure mode must have its runbook
     * @throws IllegalStateException if two labs declare one failure mode, or one has no runbook
     */
    public static DrillCatalogue of(List<Lab> labs, Path runbooks) {
        List<Entry> entries = new ArrayList<>();
        for (Lab lab : labs) {
            for (DrillScenario scenario : lab.drills()) {
                if (entries.stream().anyMatch(e -> e.failureMode().equals(scenario.failureMode()))) {
                    throw new IllegalStateException("two labs declare the failure mode " + scenario.failureMode());
                }
                if (!runbooks.resolve(scenario.failureMode() + ".md").toFile().isFile()) {
                    throw new IllegalStateException("the failure mode " + scenario.failureMode() + " of the lab "
                            + lab.name() + " has no runbook in " + runbooks);
                }
                entries.add(new Entry(lab, scenario));
            }
        }
        return new DrillCatalogue(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The failure modes, in catalogue order. */
    public List<String> failureModes() {
        return entries.stream().map(Entry::failureMode).toList();
    }

    /**
     * One entry drawn uniformly from those in {@code modes} (all when empty).
     *
     * @throws IllegalArgumentException naming a mode the catalogue does not have
     */
    public Entry draw(RandomGenerator random, List<String> modes) {
        for (String mode : modes) {
            if (!failureModes().contains(mode)) {
                throw new IllegalArgumentException("--mode: no failure mode '" + mode + "' in the catalogue ("
                        + String.join(", ", failureModes()) + ")");
            }
        }
        List<Entry> candidates = modes.isEmpty() ? entries
                : entries.stream().filter(e -> modes.contains(e.failureMode())).toList();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("the catalogue has no failure mode: no lab declares a drill");
        }
        return candidates.get(random.nextInt(candidates.size()));
    }
}

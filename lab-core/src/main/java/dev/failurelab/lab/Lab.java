package dev.failurelab.lab;

import dev.failurelab.contract.Defence;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Topology;
import java.util.List;
import java.util.Map;

/**
 * A failure-mode lab: the contract every lab implements, and all the platform knows of it. The
 * CLI ({@code ./lab list}, {@code ./lab run}, {@code ./lab up --lab}), the benchmarks
 * ({@code ./bench lab-cost}), the post-mortem drafts and the chaos drills ({@code ./lab drill}) find labs through {@link LabRegistry}
 * only, so adding a lab is one module that lists its class in
 * {@code META-INF/services/dev.failurelab.lab.Lab}.
 *
 * <p>The platform owns everything around the experiment: it loads the defaults file and the
 * overrides, starts the topology (or resolves {@code --target}'s endpoints), runs
 * {@link #run} once, then restores exactly once however the run ends (Ctrl-C included): faults
 * cleared, every defence in {@link #defences()} back to its default, then {@link #restore}.
 *
 * <p>Implementations are stateless: everything a run needs is in its {@link LabRun}.
 */
public interface Lab {

    /** The name users type, e.g. {@code retry-storm}: lower-case words joined by '-'. */
    String name();

    /** The title of its report, e.g. "Retry storm (lab 11.1)". */
    String title();

    /** One line: the failure and the defences compared. */
    String description();

    /** Its defaults file on the classpath, e.g. {@code /retry-storm.properties}. */
    String defaults();

    /** The topology it runs on (its {@code topology.<app>.*} settings are applied to it). */
    default Topology topology() {
        return Topology.chain();
    }

    /**
     * The defences it switches, and on which apps: the platform puts each back to its default when
     * the run ends, however it ends.
     */
    default Map<Defence, List<String>> defences() {
        return Map.of();
    }

    /**
     * Refuses settings that {@link LabDefaults} cannot judge alone (a list of names, a pair that must
     * agree) before anything starts, with a message naming the setting.
     *
     * @throws IllegalArgumentException naming the setting
     */
    default void checkSettings(LabDefaults settings) {
    }

    /**
     * The failure modes a chaos drill ({@code ./lab drill}) may draw from this lab, each hidden
     * behind the lab's usual load on its topology: none by default.
     */
    default List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of();
    }

    /** Runs the experiment and judges it. Progress goes to {@link LabRun#progress}. */
    LabResult run(LabRun run) throws InterruptedException;

    /**
     * Anything else to undo when a run ends, beyond faults and {@link #defences()} (best effort:
     * a service may be gone already). Called once, after those.
     */
    default void restore(LabRun run) {
    }
}

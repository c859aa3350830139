package dev.failurelab.topology;

import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.LabProfile;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Endpoints;
import dev.failurelab.lab.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of a {@link Lab} as the platform runs it, for the CLI and the tests alike: the topology
 * started from the lab's data (or the endpoints of one already running), the lab run once, and
 * the clean-up done exactly once however the run ends — faults cleared, the lab's defences
 * restored, the lab's own restore, then the embedded topology stopped. While it runs, the lab's
 * defence switches are leased ({@link #DEFENCE_LEASE}) and renewed, so a run killed outright
 * (kill -9) leaves them for no longer than the lease, as it leaves its faults for their TTL. {@link #cleanup()} may be
 * called from a shutdown hook while {@link #run} is still going: whichever comes first does the
 * work, the other waits for it to finish.
 *
 * <p>Concurrency: {@link #run} from one thread; {@link #cleanup()} from any.
 */
public final class LabSession {

    /**
     * How long a lab's defence switch holds without renewal: a run that dies (kill -9) leaves its
     * switches for at most this long, as its faults for at most their TTL.
     */
    public static final Duration DEFENCE_LEASE = Duration.ofSeconds(10);
    /** The fault injector's logger of fault events. */
    static final String FAULT_EVENTS_LOGGER = "logging.level.dev.failurelab.fault.events";
    /** How often the switches are renewed while the run lives. */
    static final Duration RENEW_EVERY = Duration.ofSeconds(2);

    private final Lab lab;
    private final EmbeddedTopology topology;
    private final LabRun run;
    private volatile Consumer<String> progress = line -> {
    };
    private volatile Thread runner;
    private boolean cleaned;

    private LabSession(Lab lab, LabDefaults settings, EmbeddedTopology topology, Endpoints endpoints) {
        this.lab = lab;
        this.topology = topology;
        this.run = new LabRun(lab, settings, endpoints, line -> progress.accept(line));
        run.leaseSwitches(DEFENCE_LEASE);
    }

    /**
     * Starts {@code topology} (the lab's, with the ports it should use) in this JVM, configured by
     * the lab's {@code topology.*} settings.
     *
     * @param forTests resolve servers as tests do (a container if Docker answers)
     * @throws IllegalArgumentException if a {@code topology.<app>.*} setting names no app of the topology,
     *                                  or the lab refuses a setting ({@link Lab#checkSettings})
     */
    public static LabSession start(Lab lab, LabDefaults settings, Topology topology, boolean forTests) {
        lab.checkSettings(settings);
        checkTopologySettings(settings, topology);
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(topology).labSettings(settings);
        if (forTests) {
            builder.forTests();
        }
        // A quiet console during a run: the faults are on the report's timeline, not the terminal.
        topology.injector().ifPresent(injector -> builder.property(injector.name(), FAULT_EVENTS_LOGGER, "warn"));
        EmbeddedTopology started = builder.start();
        return new LabSession(lab, settings, started, started.endpoints());
    }

    /**
     * Runs against services already running at {@code endpoints} ({@code --target}): the lab's
     * profile is applied to them live ({@link LabProfile}), and their settings before it are put
     * back when the run ends.
     *
     * @param applied receives one line per instance, saying what it now runs with
     * @throws IllegalStateException if a service refuses the profile or cannot be reached
     * @throws IllegalArgumentException if the lab refuses a setting ({@link Lab#checkSettings})
     */
    public static LabSession attach(Lab lab, LabDefaults settings, Endpoints endpoints, Consumer<String> applied) {
        lab.checkSettings(settings);
        LabSession session = new LabSession(lab, settings, null, endpoints);
        session.run.applyProfile().forEach(applied);
        return session;
    }

    /**
     * Every {@code topology.<app>.*} setting must name an app of {@code topology} that takes its
     * settings live (the lab's profile, {@link LabProfile}).
     */
    public static void checkTopologySettings(LabDefaults settings, Topology topology) {
        LabProfile.of(settings, topology);
    }

    public Lab lab() {
        return lab;
    }

    public Endpoints endpoints() {
        return run.endpoints();
    }

    /** The embedded topology, if this session started one. */
    public EmbeddedTopology topology() {
        return topology;
    }

    /** One line per server the embedded topology uses (none with {@code --target}). */
    public List<String> servers() {
        return topology == null ? List.of() : topology.servers();
    }

    public EventTimeline timeline() {
        return run.timeline();
    }

    /** Runs the lab, then cleans up (once). */
    public LabResult run(Consumer<String> progress) throws InterruptedException {
        return run(progress, lab::run);
    }

    /**
     * Something other than the lab's own experiment on its run (a chaos drill on the lab's
     * topology): the same leases, the same one clean-up however it ends.
     */
    public interface Experiment<T> {
        T run(LabRun run) throws InterruptedException;
    }

    /** Runs {@code experiment} on this session's run, then cleans up (once). */
    public <T> T run(Consumer<String> progress, Experiment<T> experiment) throws InterruptedException {
        this.progress = progress;
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lab-lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
        renewals.scheduleWithFixedDelay(run::renewLeases, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        runner = Thread.currentThread();
        try {
            return experiment.run(run);
        } finally {
            runner = null;
            renewals.shutdownNow();
            cleanup();
        }
    }

    /**
     * Stops a run from another thread (a shutdown hook on Ctrl-C): first the experiment (no more
     * faults or switches, its thread interrupted and given {@code grace} to end), then the clean-up,
     * so the experiment can never inject or switch after the clean-up.
     */
    public void stop(Duration grace) {
        run.stop();
        Thread experiment = runner;
        if (experiment != null && experiment != Thread.currentThread()) {
            experiment.interrupt();
            try {
                experiment.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cleanup();
    }

    /** Faults cleared, defences restored, the lab's restore, the topology stopped: once, from any thread. */
    public synchronized void cleanup() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        // An interrupted experiment thread cleans up too: its calls must not fail for the interrupt.
        boolean interrupted = Thread.interrupted();
        try {
            run.restore();
            run.timeline().record(EventTimeline.RUN_FINISHED, lab.name() + " lab finished", Map.of());
        } finally {
            if (topology != null) {
                topology.close();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.failurelab.lab.queue;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.BackgroundLoad;
import dev.failurelab.lab.load.RequestHeaders;
import dev.failurelab.lab.topology.Endpoints;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Queue overload as a hidden drill: the bottom queues without bound, first in first out (the latent
 * condition), under its usual live load at half its capacity with the callers' deadlines; then a
 * batch job sends its own requests at a drawn rate for a drawn time. Arrivals pass the capacity, the
 * queue stands, and every live request waits behind the batch work until after its caller has left:
 * the live users' goodput collapses while the bottom stays busy. The SLI is the live requests' (the
 * users'): the runbook's priority discipline protects them while the batch job goes on. Ranges in
 * {@code queue-overload.properties} ({@code drill.*}).
 *
 * <p>One instance serves one drill: it holds the batch job's load, which {@link #rollback} ends.
 */
final class QueueOverloadDrill implements DrillScenario {

    private volatile BackgroundLoad batch;

    @Override
    public String failureMode() {
        return "queue-overload";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        Duration timeout = run.settings().duration("load.timeout");
        return LoadSpec.of(bottom(run), run.settings().number("drill.load.rate"), duration).withTimeout(timeout)
                .withHeaders(RequestHeaders.deadline(timeout));
    }

    @Override
    public void prepare(LabRun run) {
        run.switchDefence(Defences.QUEUE_DISCIPLINE, QueueOverloadLab.BOTTOM,
                run.settings().string("drill.latent-discipline"));
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        LabDefaults settings = run.settings();
        double rate = DrillScenarios.draw(random, settings, "drill.batch.rate");
        Duration lasts = DrillScenarios.drawDuration(random, settings, "drill.batch.lasts");
        Duration timeout = settings.duration("load.timeout");
        LoadSpec spec = LoadSpec.of(bottom(run), rate, DrillScenarios.atMost(lasts, ttl)).withTimeout(timeout)
                .withHeaders(RequestHeaders.deadline(timeout).and(RequestHeaders.priorities(1)));
        batch = BackgroundLoad.start(spec, "drill-batch-job", ended -> {
            // the drill is rolling back: its topology may be gone
        });
        return new Injection(String.format(Locale.ROOT, "a batch job sent %.0f requests/s (X-Priority: batch) to the"
                + " bottom for %d s, on its usual %.0f live requests/s; the bottom's queue unbounded FIFO", rate,
                lasts.toSeconds(), settings.number("drill.load.rate")), rate, lasts);
    }

    @Override
    public void rollback(LabRun run) {
        BackgroundLoad job = batch;
        if (job != null) {
            job.close();
        }
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        long rate = Math.round(DrillScenarios.middle(settings, "drill.batch.rate"));
        Duration lasts = DrillScenarios.middleDuration(settings, "drill.batch.lasts");
        String timeout = settings.duration("load.timeout").toMillis() + "ms";
        return new ExperimentSteps(
                List.of(Step.command("bottom-queue-" + settings.string("drill.latent-discipline"),
                        "queue-overload-lab/scripts/queue-discipline.sh " + settings.string("drill.latent-discipline"))),
                List.of(Step.background("batch-job", String.format(Locale.ROOT, "./lab load --url %s --rate %d"
                        + " --duration ${fault_ttl} --timeout %s --deadline --batch-share 1 --quiet",
                        endpoints.url("bottom").resolve(AdminPaths.CHAIN), rate, timeout))),
                lasts, Duration.ofSeconds(60),
                List.of(Step.command("bottom-queue-default", "queue-overload-lab/scripts/queue-discipline.sh "
                        + Defences.QUEUE_DISCIPLINE.defaultOption())));
    }

    /**
     * The live users' SLI: live requests the bottom refused, or served after their caller's deadline,
     * among the live requests it refused or served with a deadline.
     */
    @Override
    public String badRatio(String window) {
        String rejected = "sum(rate(chain_capacity_rejections_total{priority=\"live\"}[" + window + "]))";
        return "(" + rejected + " + sum(rate(chain_queue_completed_total{priority=\"live\",deadline=\"missed\"}["
                + window + "]))) / (" + rejected + " + sum(rate(chain_queue_completed_total{priority=\"live\","
                + "deadline=~\"met|missed\"}[" + window + "])))";
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.QUEUE_DISCIPLINE);
    }

    private static URI bottom(LabRun run) {
        return run.endpoints().url("bottom").resolve(AdminPaths.CHAIN);
    }
}

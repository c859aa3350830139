package dev.failurelab.lab.partition;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.KeyedRequests;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.topology.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The hot partition as a hidden drill: the router spreads Zipf-distributed keys over the shards by
 * consistent hashing, with no hot-key defence (the latent condition); then a celebrity key takes a
 * drawn share of all requests, and its home shard throttles. The runbook's hot-key cache and bounded
 * loads mitigate it. Ranges in {@code hot-partition.properties} ({@code drill.*}).
 *
 * <p>One instance serves one drill: it holds that drill's keyed load, whose mix the trigger shifts.
 */
final class HotPartitionDrill implements DrillScenario {

    private KeyedRequests keys;

    @Override
    public String failureMode() {
        return "hot-partition";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        LabDefaults settings = run.settings();
        keys = new KeyedRequests(new KeyedRequests.Keys(settings.integer("load.keys"),
                settings.number("load.zipf-exponent")), settings.string("load.celebrity-key"), 0,
                settings.number("load.write-share"), settings.integer("load.seed"));
        double rate = settings.number("drill.load.rate");
        Duration step = Duration.ofSeconds(4);
        return LoadSpec.stepped(run.endpoints().url("router"), List.of(new LoadSpec.Step(rate / 4, step),
                        new LoadSpec.Step(rate / 2, step), new LoadSpec.Step(rate, duration.minus(step.multipliedBy(2)))))
                .withPlan(keys).withTimeout(settings.duration("load.timeout"));
    }

    @Override
    public void prepare(LabRun run) {
        run.switchDefence(Defences.PARTITION_ROUTING, HotPartitionLab.ROUTER, "consistent");
        run.switchDefence(Defences.HOT_KEYS, HotPartitionLab.ROUTER, "none");
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        LabDefaults settings = run.settings();
        double share = DrillScenarios.draw(random, settings, "drill.fault.celebrity-share");
        if (keys == null) {
            throw new IllegalStateException("the drill's load has not started");
        }
        keys.celebrityShare(share);
        return new Injection(String.format(Locale.ROOT, "the key '%s' took %.0f%% of all requests",
                keys.celebrity(), share * 100), share, ttl);
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        double share = DrillScenarios.middle(settings, "drill.fault.celebrity-share");
        double usual = settings.number("drill.load.rate");
        // On top of the usual keyed load, the celebrity's own requests: share / (1 - share) of it.
        long celebrity = Math.round(usual * share / (1 - share));
        return new ExperimentSteps(
                List.of(Step.command("consistent-hashing", "hot-partition-lab/scripts/partition-routing.sh consistent"),
                        Step.command("no-hot-key-defence", "hot-partition-lab/scripts/hot-keys.sh none")),
                List.of(Step.background("celebrity-requests", String.format(Locale.ROOT,
                        "hot-partition-lab/scripts/celebrity.sh --share 1 --rate %d --duration ${fault_ttl}",
                        celebrity))),
                Duration.ofSeconds(90), Duration.ofSeconds(60),
                List.of(Step.command("routing-default", "hot-partition-lab/scripts/partition-routing.sh "
                        + Defences.PARTITION_ROUTING.defaultOption()), Step.command("hot-keys-default",
                        "hot-partition-lab/scripts/hot-keys.sh " + Defences.HOT_KEYS.defaultOption())));
    }

    @Override
    public String badRatio(String window) {
        return "sum(rate(chain_partition_requests_seconds_count{outcome!=\"success\"}[" + window + "]))"
                + " / sum(rate(chain_partition_requests_seconds_count[" + window + "]))";
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.HOT_KEYS, Defences.PARTITION_ROUTING, Defences.WRITE_SHARDING);
    }
}

package dev.failurelab.lab.stampede;

import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.topology.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The cache stampede as a hidden drill: the hot key is read steadily on both replicas with no
 * recompute protection (the latent condition) while its origin query is quick; then the query slows
 * to a drawn hold, and every expiry of the 5 s TTL sends the waiting readers to a 10-connection
 * pool at once. The runbook's lock with stale-while-revalidate, not a faster origin, mitigates it.
 * Ranges in {@code stampede.properties} ({@code drill.*}).
 */
final class StampedeDrill implements DrillScenario {

    private static final String HOLD = "chain.cache.origin.hold";

    @Override
    public String failureMode() {
        return "cache-stampede";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        List<java.net.URI> replicas = run.urls(StampedeLab.OWNERS).stream().map(r -> r.resolve(AdminPaths.HOT_KEY))
                .toList();
        return new LoadSpec(replicas, run.settings().number("drill.load.rate"), duration, Long.MAX_VALUE,
                Duration.ofSeconds(10), LoadSpec.DEFAULT_MAX_OUTSTANDING);
    }

    @Override
    public void prepare(LabRun run) {
        run.switchDefence(Defences.CACHE_STRATEGY, StampedeLab.OWNERS, "none");
        run.changeSettings(StampedeLab.OWNERS, Map.of(HOLD, run.settings().string("drill.healthy.origin-hold")));
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        LabDefaults settings = run.settings();
        Duration hold = Duration.ofMillis(Math.round(DrillScenarios.between(random,
                settings.duration("drill.fault.hold-min").toMillis() / 1000.0,
                settings.duration("drill.fault.hold-max").toMillis() / 1000.0) * 1000));
        run.changeSettings(StampedeLab.OWNERS, Map.of(HOLD, hold.toMillis() + "ms"));
        return new Injection("the hot key's origin query slowed to " + hold.toMillis() + " ms (TTL "
                + settings.string("topology.bottom.chain.cache.ttl") + ", pool of "
                + settings.string("topology.bottom.chain.cache.postgres.pool-size") + ")", hold.toMillis(), ttl);
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        long hold = (settings.duration("drill.fault.hold-min").toMillis() + settings.duration("drill.fault.hold-max")
                .toMillis()) / 2;
        List<Step> healthy = new java.util.ArrayList<>();
        List<Step> slow = new java.util.ArrayList<>();
        for (String owner : StampedeLab.OWNERS) {
            java.net.URI admin = endpoints.management(owner).resolve(AdminPaths.SETTINGS);
            healthy.add(Step.put("origin-healthy-on-" + owner, admin,
                    Map.of(HOLD, settings.string("drill.healthy.origin-hold"))));
            slow.add(Step.put("origin-slow-on-" + owner, admin, Map.of(HOLD, hold + "ms")));
        }
        List<Step> latent = new java.util.ArrayList<>(healthy);
        latent.add(0, Step.command("no-stampede-defence", "./cache-strategy.sh none"));
        List<Step> rollbacks = new java.util.ArrayList<>(healthy);
        rollbacks.add(Step.command("cache-strategy-default", "./cache-strategy.sh "
                + Defences.CACHE_STRATEGY.defaultOption()));
        // A settings change has no time to live: the rollbacks put the origin back.
        return new ExperimentSteps(latent, slow, Duration.ofSeconds(90), Duration.ofSeconds(60), rollbacks);
    }

    @Override
    public String badRatio(String window) {
        return "1 - sum(rate(chain_cache_requests_seconds_bucket{le=\"1.0\",source!~\"origin_unavailable"
                + "|cache_wait_timeout\"}[" + window + "])) / sum(rate(chain_cache_requests_seconds_count[" + window
                + "]))";
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.CACHE_STRATEGY);
    }
}

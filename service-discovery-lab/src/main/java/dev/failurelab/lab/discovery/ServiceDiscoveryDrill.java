package dev.failurelab.lab.discovery;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.topology.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A mass eviction as a hidden drill: the registry's self-preservation is off (the latent condition),
 * then the heartbeats of a drawn number of the bottoms are lost on their way to the registry for a
 * drawn time. The instances are alive; the registry evicts them, and the middle sends everything to
 * the few left, which drown. Ranges in {@code service-discovery.properties} ({@code drill.*}).
 */
final class ServiceDiscoveryDrill implements DrillScenario {

    @Override
    public String failureMode() {
        return "service-discovery-failure";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        return DrillScenarios.chainLoad(run, ServiceDiscoveryLab.MIDDLE, duration);
    }

    @Override
    public void prepare(LabRun run) {
        run.switchDefence(Defences.SELF_PRESERVATION, List.of(ServiceDiscoveryLab.REGISTRY), "off");
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        LabDefaults settings = run.settings();
        int count = (int) Math.round(DrillScenarios.between(random, settings.integer("drill.fault.instances-min"),
                settings.integer("drill.fault.instances-max")));
        Duration lasts = DrillScenarios.drawDuration(random, settings, "drill.fault.lasts");
        Duration bounded = DrillScenarios.atMost(lasts, ttl);
        for (int i = 1; i <= count; i++) {
            run.faults().injectBlackhole(ServiceDiscoveryLab.REGISTRY, heartbeatPath(i), "PUT", bounded);
        }
        return new Injection(String.format(Locale.ROOT, "the heartbeats of bottom-1 to bottom-%d lost on their way to"
                + " the registry, for %d s", count, lasts.toSeconds()), count, lasts);
    }

    private static String heartbeatPath(int instance) {
        return "/eureka/apps/" + ServiceDiscoveryLab.BOTTOM.toUpperCase(Locale.ROOT) + "/"
                + ServiceDiscoveryLab.BOTTOM + "-" + instance;
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        long count = Math.round((settings.integer("drill.fault.instances-min")
                + settings.integer("drill.fault.instances-max")) / 2.0);
        Duration lasts = DrillScenarios.middleDuration(settings, "drill.fault.lasts");
        // The evictions outlast nothing: the steady state is checked within the fault.
        return new ExperimentSteps(
                List.of(Step.command("no-self-preservation",
                        "service-discovery-lab/scripts/self-preservation.sh off")),
                List.of(Step.command("heartbeats-lost", "service-discovery-lab/scripts/registry-fault.sh --ttl"
                        + " ${fault_ttl} heartbeats " + count)),
                lasts, Duration.ofSeconds(60),
                List.of(Step.command("clear-registry-faults", "service-discovery-lab/scripts/registry-fault.sh clear"),
                        Step.command("self-preservation-default", "service-discovery-lab/scripts/self-preservation.sh "
                                + Defences.SELF_PRESERVATION.defaultOption())));
    }

    @Override
    public String badRatio(String window) {
        return DrillScenarios.errorRatio(ServiceDiscoveryLab.MIDDLE, window);
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.SELF_PRESERVATION, Defences.REGISTRY_CACHE, Defences.INSTANCE_RETRY,
                Defences.OUTLIER_EJECTION, Defences.HEALTH_CHECKS);
    }
}

package dev.failurelab.lab.dns;

import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.topology.Endpoints;
import dev.failurelab.lab.experiment.LabDefaults;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The DNS outage as a hidden drill: the chain's hops find the next one by name, with serve-stale
 * and the fallback server off (the latent condition); then both DNS servers fail, in a drawn way,
 * until someone acts. The runbook's serve-stale keeps the calls going on the last good answers.
 * The kinds of outage in {@code dns.properties} ({@code drill.*}).
 */
final class DnsDrill implements DrillScenario {

    @Override
    public String failureMode() {
        return "dns-outage";
    }

    @Override
    public LoadSpec load(LabRun run, Duration duration) {
        return DrillScenarios.chainLoad(run, "edge", duration);
    }

    @Override
    public void prepare(LabRun run) {
        run.switchDefence(Defences.SERVE_STALE, DnsLab.CALLERS, "off");
        run.switchDefence(Defences.DNS_FALLBACK, DnsLab.CALLERS, "off");
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        List<String> kinds = run.settings().names("drill.faults", "DNS fault", List.of("servfail", "nxdomain", "drop"));
        String kind = kinds.get(random.nextInt(kinds.size()));
        run.faults().injectDns(kind, "all", Duration.ZERO, ttl);
        return new Injection("DNS " + kind + " on both DNS servers, for every name", kinds.indexOf(kind), ttl);
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        String kind = settings.names("drill.faults", "DNS fault", List.of("servfail", "nxdomain", "drop")).get(0);
        // The outage lasts as long as its fault: the steady state is checked within it.
        return new ExperimentSteps(
                List.of(Step.command("no-serve-stale", "dns-lab/scripts/serve-stale.sh off"),
                        Step.command("no-dns-fallback", "dns-lab/scripts/dns-fallback.sh off")),
                List.of(Step.command("dns-" + kind + "-on-every-server",
                        "dns-lab/scripts/dns-fault.sh --server all --ttl ${fault_ttl} " + kind)),
                Duration.ofSeconds(90), Duration.ofSeconds(60),
                List.of(Step.command("clear-dns-faults", "dns-lab/scripts/dns-fault.sh clear"),
                        Step.command("serve-stale-default", "dns-lab/scripts/serve-stale.sh "
                                + Defences.SERVE_STALE.defaultOption()),
                        Step.command("dns-fallback-default", "dns-lab/scripts/dns-fallback.sh "
                                + Defences.DNS_FALLBACK.defaultOption())));
    }

    @Override
    public String badRatio(String window) {
        return DrillScenarios.edgeErrorRatio(window);
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.SERVE_STALE, Defences.DNS_FALLBACK);
    }
}

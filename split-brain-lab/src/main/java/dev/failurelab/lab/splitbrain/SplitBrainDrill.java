package dev.failurelab.lab.splitbrain;

import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.DrillScenarios;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.drill.ExperimentSteps.Step;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.load.RunningLoad;
import dev.failurelab.lab.topology.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Split brain as a hidden drill: the store elects its leader naively and stores without fencing (the
 * latent condition, the store's defaults) under its usual clients; then a network partition cuts the
 * leader, with the clients of its side, from the other two nodes and from ZooKeeper, for a drawn
 * time. The majority side promotes a second leader; the first goes on acknowledging its side's writes,
 * which no majority holds: they are lost when the partition heals. The SLI is the share of
 * acknowledged writes that fewer than a majority of the replicas took ({@code
 * chain_store_acked_minority_total}). Ranges in {@code split-brain.properties} ({@code drill.*}).
 */
final class SplitBrainDrill implements DrillScenario {

    @Override
    public String failureMode() {
        return "split-brain";
    }

    /**
     * The lab's clients ({@link Workload}, {@code workload.*}), on registers of their own, living on the
     * sides of whatever partition the store's nodes are under: the clients of a node cut from all the
     * others reach only it (the drill's trigger, an experiment's, a participant's clear alike).
     */
    @Override
    public RunningLoad startLoad(LabRun run, Duration duration, Consumer<RuntimeException> failed) {
        LabDefaults settings = run.settings();
        StoreClient client = new StoreClient(settings.duration("workload.timeout"));
        StoreCluster cluster = new StoreCluster(run.endpoints(), client);
        List<String> keys = IntStream.rangeClosed(1, settings.integer("workload.keys")).mapToObj(k -> "drill-k" + k)
                .toList();
        int clients = settings.integer("workload.clients");
        double rate = settings.number("workload.rate");
        double writes = clients * rate * (1 - settings.number("workload.read-share"));
        Workload workload = new Workload(client, cluster.names(), cluster.urls(), keys, 0, "drill", clients, rate,
                settings.number("workload.read-share"), 1);
        Thread sides = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    workload.partition(isolated(cluster));
                    Thread.sleep(250);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "drill-store-sides");
        sides.setDaemon(true);
        sides.start();
        return new RunningLoad() {
            @Override
            public double rate() {
                return writes;
            }

            @Override
            public void close() {
                sides.interrupt();
                workload.close();
            }
        };
    }

    /** The nodes cut from every other node now: their clients' side. */
    private static Set<String> isolated(StoreCluster cluster) {
        List<String> names = cluster.names();
        return IntStream.range(0, names.size()).filter(i -> cluster.cut(i).containsAll(names.stream()
                .filter(n -> !n.equals(names.get(i))).toList())).mapToObj(names::get)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public void prepare(LabRun run) {
        run.switchDefence(Defences.LEADERSHIP, List.of(StoreCluster.STORE), Defences.LEADERSHIP.defaultOption());
        run.switchDefence(Defences.FENCING, List.of(StoreCluster.STORE), Defences.FENCING.defaultOption());
        try {
            new StoreCluster(run.endpoints(), new StoreClient(Duration.ofSeconds(1))).awaitOneLeader(
                    Defences.LEADERSHIP.defaultOption(), run.settings().duration("phase.settle-timeout"), run::progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Injection inject(LabRun run, RandomGenerator random, Duration ttl) {
        Duration lasts = DrillScenarios.drawDuration(random, run.settings(), "drill.partition.lasts");
        StoreCluster cluster = new StoreCluster(run.endpoints(), new StoreClient(Duration.ofSeconds(1)));
        int leader = cluster.leaderOtherThan(-1);
        int struck = leader >= 0 ? leader : 0;
        String sides = cluster.partition(struck, DrillScenarios.atMost(lasts, ttl));
        return new Injection(String.format(Locale.ROOT, "a network partition %s for %d s: %s (%s) cut from the others"
                + " and from ZooKeeper with the clients of its side, under naive HA without fencing", sides,
                lasts.toSeconds(), cluster.names().get(struck), leader >= 0 ? "the leader" : "no node led"),
                lasts.toSeconds(), lasts);
    }

    @Override
    public ExperimentSteps experiment(LabDefaults settings, Endpoints endpoints) {
        Duration lasts = DrillScenarios.middleDuration(settings, "drill.partition.lasts");
        // The steady state is checked within the partition: the minority side's leader acknowledging.
        return new ExperimentSteps(
                List.of(Step.command("store-naive-ha-no-fencing", "split-brain-lab/scripts/apply-naive.sh")),
                List.of(Step.command("partition-the-leader",
                        "split-brain-lab/scripts/store-fault.sh --ttl ${fault_ttl} partition")),
                lasts, lasts.dividedBy(2), List.of(
                        Step.command("partition-healed", "split-brain-lab/scripts/store-fault.sh clear"),
                        Step.command("store-defences-default", "split-brain-lab/scripts/apply-naive.sh")));
    }

    /** Acknowledged writes that fewer than a majority of the replicas took, among the acknowledged. */
    @Override
    public String badRatio(String window) {
        return "sum(rate(" + PrometheusNames.counter(ChainMetricNames.STORE_ACKED_MINORITY) + "[" + window + "]))"
                + " / sum(rate(" + PrometheusNames.counter(ChainMetricNames.STORE_WRITES) + "{outcome=\"acked\"}["
                + window + "]))";
    }

    @Override
    public List<Defence> mitigations() {
        return List.of(Defences.LEADERSHIP, Defences.FENCING);
    }
}

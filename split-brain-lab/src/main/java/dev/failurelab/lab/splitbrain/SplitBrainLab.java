package dev.failurelab.lab.splitbrain;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.contract.PrometheusNames;
import dev.failurelab.lab.Incident;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.experiment.Check;
import dev.failurelab.lab.experiment.EventTimeline;
import dev.failurelab.lab.experiment.EventType;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.experiment.SecondRecord;
import dev.failurelab.lab.metrics.PrometheusScraper;
import dev.failurelab.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The split-brain lab. Three nodes of a small replicated store (chain-service, role store) keep their
 * replicas in PostgreSQL; clients write unique values to a few registers and read them back, and
 * every operation goes into a history. Each row strikes the leader under one leadership mode: a
 * partition that cuts it (and the clients of its side) from the other two and from ZooKeeper, or a
 * pause inside a write for longer than its ZooKeeper session (the zombie leader). Naive HA promotes a
 * second leader and loses the minority's acknowledged writes when the partition heals; leader
 * election on ZooKeeper (Apache Curator) with majority writes loses none; PostgreSQL's fence refuses
 * the zombie's stale write. The history is checked for lost acknowledged writes and for
 * linearizability ({@link LinearizabilityChecker}).
 *
 * <p>Stateless: each {@link #run} keeps its state in an {@link Experiment}. The platform puts the
 * defences back to their defaults however a run ends; {@link #restore} heals the partitions and
 * ends the pauses (which have TTLs of their own).
 */
public final class SplitBrainLab implements Lab {

    /** The defaults file, on the classpath. */
    public static final String DEFAULTS = "/split-brain.properties";
    /** The run shortened for its IT: every row, every hypothesis, the phases cut to what each needs. */
    public static final Map<String, String> SHORT_RUN = Map.ofEntries(
            Map.entry("phase.baseline", "2s"),
            Map.entry("phase.partition", "5s"),
            Map.entry("phase.pause", "6s"),
            Map.entry("phase.recovery", "3s"),
            Map.entry("phase.converge", "3s"));
    /** The event of a row's fault starting. */
    public static final EventType SPLIT_FAULT = EventType.of("split_brain_fault");
    /** The event of a row's fault ended (the partition healed, the pause over). */
    public static final EventType SPLIT_HEALED = EventType.of("split_brain_healed");

    private static final List<String> STORES = List.of(StoreCluster.STORE);

    @Override
    public String name() {
        return "split-brain";
    }

    @Override
    public String title() {
        return "Split brain";
    }

    @Override
    public String description() {
        return "three nodes of a replicated store on PostgreSQL: naive HA elects two leaders under a partition and"
                + " loses acknowledged writes; ZooKeeper election, majority writes and fencing tokens lose none";
    }

    @Override
    public String defaults() {
        return DEFAULTS;
    }

    @Override
    public Topology topology() {
        return Topology.load("split-brain");
    }

    @Override
    public Map<Defence, List<String>> defences() {
        Map<Defence, List<String>> defences = new LinkedHashMap<>();
        defences.put(Defences.LEADERSHIP, STORES);
        defences.put(Defences.FENCING, STORES);
        return defences;
    }

    @Override
    public List<dev.failurelab.lab.drill.DrillScenario> drills() {
        return List.of(new SplitBrainDrill());
    }

    @Override
    public void checkSettings(LabDefaults settings) {
        rows(settings);
        if (settings.integer("workload.clients") < 2 || settings.integer("workload.clients") > 64) {
            throw new IllegalArgumentException("workload.clients must be between 2 and 64, got "
                    + settings.string("workload.clients"));
        }
        if (settings.number("workload.rate") <= 0 || settings.number("workload.rate") > 100) {
            throw new IllegalArgumentException("workload.rate must be above 0 and at most 100 per client, got "
                    + settings.string("workload.rate"));
        }
        double readShare = settings.number("workload.read-share");
        if (readShare < 0 || readShare >= 1) {
            throw new IllegalArgumentException("workload.read-share must be at least 0 and below 1, got " + readShare);
        }
        if (settings.integer("workload.keys") < 1 || settings.integer("workload.keys") > 100) {
            throw new IllegalArgumentException("workload.keys must be between 1 and 100, got "
                    + settings.string("workload.keys"));
        }
        if (settings.duration("fault.pause").compareTo(settings.duration("phase.pause")) >= 0) {
            throw new IllegalArgumentException("fault.pause (" + settings.string("fault.pause")
                    + ") must be shorter than phase.pause (" + settings.string("phase.pause") + ")");
        }
    }

    static List<Row> rows(LabDefaults settings) {
        return settings.names("rows", "row", Row.ids()).stream().map(id -> Row.of(id).orElseThrow()).toList();
    }

    @Override
    public LabResult run(LabRun run) throws InterruptedException {
        return new Experiment(run).run();
    }

    /** Every node's partition healed and pause ended; best effort (they have TTLs). */
    @Override
    public void restore(LabRun run) {
        new StoreCluster(run.endpoints(), new StoreClient(Duration.ofSeconds(1))).heal();
    }

    /** One run's state. */
    private final class Experiment {
        private final LabRun run;
        private final LabDefaults settings;
        private final EventTimeline timeline;
        private final AdminHttp http = new AdminHttp();
        private final PrometheusScraper scraper = new PrometheusScraper(Duration.ofSeconds(2));
        private final StoreClient client;
        private final StoreCluster cluster;
        private final List<String> names;
        private final List<URI> urls;
        private final List<URI> admins;

        Experiment(LabRun run) {
            this.run = run;
            this.settings = run.settings();
            this.timeline = run.timeline();
            this.client = new StoreClient(settings.duration("workload.timeout"));
            this.cluster = new StoreCluster(run.endpoints(), client);
            this.names = cluster.names();
            this.urls = cluster.urls();
            this.admins = cluster.admins();
        }

        LabResult run() throws InterruptedException {
            Instant startedAt = Instant.now();
            List<Row> rows = rows(settings);
            timeline.record(EventTimeline.RUN_STARTED, "split-brain lab started", Map.of("rows",
                    String.join(",", rows.stream().map(Row::id).toList())));
            List<RowResult> results = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                results.add(row(rows.get(i), i, startedAt));
            }
            SplitBrainResult data = new SplitBrainResult(results);
            String subtitle = String.format(Locale.ROOT, "Started %s. %s clients, each %s operations/s (%s%% reads) on"
                    + " %s registers per row, against three store nodes on PostgreSQL, electing their leader naively"
                    + " (on a heartbeat timeout) or on a ZooKeeper ensemble of three; the fault is shaded.",
                    startedAt, settings.string("workload.clients"), settings.string("workload.rate"),
                    Math.round(settings.number("workload.read-share") * 100), settings.string("workload.keys"));
            return new LabResult(name(), title(), subtitle, startedAt, settings.all(), checks(data), data.table(),
                    data.markdown(), data.htmlSections(), incident(data), data);
        }

        private RowResult row(Row row, int index, Instant startedAt) throws InterruptedException {
            restore(run);
            run.switchDefence(Defences.LEADERSHIP, STORES, row.leadership());
            run.switchDefence(Defences.FENCING, STORES, row.fencing());
            int leaderIndex = cluster.awaitOneLeader(row.leadership(), settings.duration("phase.settle-timeout"),
                    leads -> run.progress(row.id() + ": " + leads + ", fencing " + row.fencing()));
            String struck = names.get(leaderIndex);
            List<String> keys = IntStream.rangeClosed(1, settings.integer("workload.keys"))
                    .mapToObj(k -> row.id() + "-k" + k).toList();
            Map<String, Double> before = meters();
            Duration baseline = settings.duration("phase.baseline");
            Duration faultFor = settings.duration("phase." + row.fault().phase);
            Duration recovery = settings.duration("phase.recovery");
            timeline.record(EventTimeline.PHASE_STARTED, row.id() + ": baseline", Map.of("row", row.id()));
            long t0;
            long faultAt;
            long healAt;
            int conflicting = 0;
            try (LeaderSampler sampler = new LeaderSampler(client, names, urls);
                    Workload workload = new Workload(client, names, urls, keys, (index + 1) * 1_000_000_000L, row.id(),
                            settings.integer("workload.clients"), settings.number("workload.rate"),
                            settings.number("workload.read-share"), index + 1)) {
                t0 = System.nanoTime();
                progress(row, RowResult.BASELINE, baseline, t0, sampler, workload);
                faultAt = System.nanoTime();
                inject(row, struck, faultFor, workload);
                progress(row, row.fault().phase, faultFor, faultAt, sampler, workload);
                if (row.fault() == Row.Fault.PARTITION) {
                    conflicting = conflicting(leaderIndex, row.id());
                }
                restore(run);
                workload.partition(Set.of());
                healAt = System.nanoTime();
                timeline.record(SPLIT_HEALED, row.id() + ": " + (row.fault() == Row.Fault.PARTITION
                        ? "the partition healed" : "the pause over"), Map.of("row", row.id()));
                progress(row, RowResult.RECOVERY, recovery, healAt, sampler, workload);
                workload.close();
                sampler.close();
                return measure(row, struck, keys, workload, sampler, before, t0, faultAt, healAt, conflicting);
            }
        }

        /** The fault: the leader cut from the rest (and ZooKeeper) with its side's clients, or paused in a write. */
        private void inject(Row row, String struck, Duration faultFor, Workload workload) {
            Duration ttl = faultFor.plusSeconds(10);
            String what;
            if (row.fault() == Row.Fault.PARTITION) {
                workload.partition(Set.of(struck));
                what = cluster.partition(names.indexOf(struck), ttl) + ": " + struck
                        + " (the leader) cut from the others and from ZooKeeper, with the clients of its side";
            } else {
                Duration pause = settings.duration("fault.pause");
                http.send("PUT", admins.get(names.indexOf(struck)).resolve("/admin/pause"), String.format(Locale.ROOT,
                        "{\"duration\":\"%dms\",\"at\":\"next-write\"}", pause.toMillis()));
                what = struck + " (the leader) paused for " + settings.string("fault.pause")
                        + " inside its next write, as in a long GC";
            }
            timeline.record(SPLIT_FAULT, row.id() + ": " + what, Map.of("row", row.id(), "fault", row.fault().phase,
                    "node", struck));
            run.progress(row.id() + ": " + what);
        }

        /** One line a second for {@code length}, from the leaders sampled and the writes answered. */
        private void progress(Row row, String phase, Duration length, long from, LeaderSampler sampler,
                Workload workload) throws InterruptedException {
            long end = from + length.toNanos();
            int second = 0;
            while (System.nanoTime() < end) {
                long next = Math.min(end, from + TimeUnit.SECONDS.toNanos(++second));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                long lo = next - TimeUnit.SECONDS.toNanos(1);
                List<LeaderSampler.Sample> samples = sampler.samples().stream()
                        .filter(s -> s.nanos() >= lo && s.nanos() < next).toList();
                TreeSet<String> leaders = new TreeSet<>();
                int most = 0;
                long term = 0;
                for (LeaderSampler.Sample s : samples) {
                    most = Math.max(most, s.leaders().size());
                    leaders.addAll(s.leaders());
                    term = Math.max(term, s.term());
                }
                Map<String, Long> outcomes = workload.writes().stream().filter(w -> w.ret() >= lo && w.ret() < next)
                        .collect(Collectors.groupingBy(Workload.Write::outcome, TreeMapCollector.INSTANCE, Collectors.counting()));
                run.progress(String.format(Locale.ROOT, "[%-20s] %-9s %3ds  leaders %d %-24s term %3d  writes %s",
                        row.id(), phase, second, most, leaders, term, outcomes));
            }
        }

        /** Entries the struck node holds that the other side's leader does not (just before the heal). */
        private int conflicting(int struck, String rowId) {
            try {
                Set<String> minority = ids(client.entries(urls.get(struck)), rowId);
                int leading = cluster.leaderOtherThan(struck);
                int other = leading >= 0 ? leading : (struck + 1) % names.size();
                minority.removeAll(ids(client.entries(urls.get(other)), rowId));
                return minority.size();
            } catch (RuntimeException e) {
                return 0;
            }
        }

        private Set<String> ids(List<StoreClient.Entry> entries, String rowId) {
            return entries.stream().map(StoreClient.Entry::id).filter(id -> id.startsWith(rowId + "-"))
                    .collect(Collectors.toCollection(HashSet::new));
        }

        /** The store's counters summed over the nodes: stale, fenced, discarded. */
        private Map<String, Double> meters() {
            Map<String, Double> sums = new LinkedHashMap<>(Map.of("stale", 0.0, "fenced", 0.0, "discarded", 0.0));
            for (URI admin : admins) {
                var snapshot = scraper.scrape(admin.resolve("/actuator/prometheus"));
                String replica = PrometheusNames.counter(ChainMetricNames.STORE_REPLICA_WRITES);
                sums.merge("stale", snapshot.sum(replica, Map.of(ChainMetricNames.OUTCOME, "stale")), Double::sum);
                sums.merge("fenced", snapshot.sum(replica, Map.of(ChainMetricNames.OUTCOME, "fenced")), Double::sum);
                sums.merge("discarded", snapshot.sum(PrometheusNames.counter(ChainMetricNames.STORE_DISCARDED)), Double::sum);
            }
            return sums;
        }

        private RowResult measure(Row row, String struck, List<String> keys, Workload workload, LeaderSampler sampler,
                Map<String, Double> before, long t0, long faultAt, long healAt, int conflicting)
                throws InterruptedException {
            // The replicas converge: every node holds the same entries of this row.
            long deadline = System.nanoTime() + settings.duration("phase.converge").toNanos();
            int divergent;
            List<Set<String>> replicas;
            do {
                replicas = new ArrayList<>();
                for (URI url : urls) {
                    try {
                        replicas.add(ids(client.entries(url), row.id()));
                    } catch (RuntimeException e) {
                        replicas.add(Set.of());
                    }
                }
                Set<String> union = new HashSet<>();
                replicas.forEach(union::addAll);
                Set<String> everywhere = new HashSet<>(union);
                replicas.forEach(everywhere::retainAll);
                divergent = union.size() - everywhere.size();
                if (divergent > 0) {
                    Thread.sleep(250);
                }
            } while (divergent > 0 && System.nanoTime() < deadline);
            int leader = Math.max(0, cluster.leaderOtherThan(-1));
            Set<String> kept = replicas.get(leader);
            List<Workload.Write> writes = workload.writes();
            List<String> lost = writes.stream().filter(w -> "acked".equals(w.outcome())).map(Workload.Write::id)
                    .filter(id -> !kept.contains(id)).sorted().toList();
            LinearizabilityChecker.Verdict verdict = new LinearizabilityChecker(
                    (long) settings.number("checker.max-steps")).check(workload.history());
            String culprit = verdict.registers().stream().filter(r -> r.culprit() != null).findFirst()
                    .map(r -> r.culprit() + " (" + r.placed() + " operations placed before it)").orElse(null);
            Map<String, Double> after = meters();
            long acked = writes.stream().filter(w -> "acked".equals(w.outcome())).count();
            long afterCut = faultAt + TimeUnit.MILLISECONDS.toNanos(200);
            long minority = row.fault() == Row.Fault.PARTITION ? writes.stream().filter(w -> "acked".equals(w.outcome())
                    && w.node().equals(struck) && w.call() >= afterCut && w.ret() <= healAt).count() : 0;
            double recoverySeconds = writes.stream().filter(w -> "acked".equals(w.outcome()) && !w.node().equals(struck)
                    && w.call() >= faultAt).mapToLong(Workload.Write::ret).min().stream()
                    .mapToDouble(r -> (r - faultAt) / 1e9).findFirst().orElse(-1);
            List<SecondRecord> seconds = seconds(row, struck, workload, sampler, t0, faultAt, healAt);
            double maxLeaders = seconds.stream().mapToDouble(s -> s.figure(SplitBrainFigures.LEADERS)).max().orElse(0);
            double twoLeaderSeconds = seconds.stream().filter(s -> s.figure(SplitBrainFigures.LEADERS) >= 2).count();
            RowResult result = new RowResult(row.id(), row.leadership(), row.fencing(), row.fault().phase, struck,
                    seconds, maxLeaders, twoLeaderSeconds, acked, lost.size(), lost.stream().limit(5).toList(),
                    conflicting, after.get("discarded") - before.get("discarded"), verdict.violations(),
                    verdict.unknown(), culprit, verdict.operations(), minority, recoverySeconds,
                    after.get("stale") - before.get("stale"), after.get("fenced") - before.get("fenced"), divergent);
            String checkerJson = String.format(Locale.ROOT, "{\"acked\":%d,\"lost\":%d,\"violations\":%d}", acked,
                    lost.size(), verdict.violations());
            for (URI admin : admins) {
                try {
                    http.send("PUT", admin.resolve("/admin/checker"), checkerJson);
                } catch (RuntimeException ignored) {
                    // the meter is a display; the result is in result.json
                }
            }
            run.progress(String.format(Locale.ROOT, "%-20s leaders at once %.0f (%.0f s with 2+), acked %.0f, lost %.0f,"
                    + " conflicting at heal %.0f, discarded %.0f, linearizability violations %.0f of %d registers"
                    + " (%.0f undecided), minority commits %.0f, majority commits after %s, stale accepted %.0f,"
                    + " fenced %.0f, divergent %.0f", row.id(), maxLeaders, twoLeaderSeconds, (double) acked,
                    (double) lost.size(), (double) conflicting, result.discarded(), result.violations(),
                    verdict.registers().size(), result.undecided(), result.minorityCommits(),
                    recoverySeconds < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", recoverySeconds), result.stale(),
                    result.fenced(), result.divergent()));
            return result;
        }

        private List<SecondRecord> seconds(Row row, String struck, Workload workload, LeaderSampler sampler, long t0,
                long faultAt, long healAt) {
            List<SecondRecord> seconds = new ArrayList<>();
            List<LeaderSampler.Sample> samples = sampler.samples();
            List<Workload.Write> writes = workload.writes();
            List<Operation> reads = workload.history().stream().filter(o -> o.kind() == Operation.Kind.READ).toList();
            long end = samples.isEmpty() ? t0 : samples.get(samples.size() - 1).nanos();
            int phaseSecond = 0;
            String lastPhase = null;
            for (int s = 0; t0 + TimeUnit.SECONDS.toNanos(s) <= end; s++) {
                long lo = t0 + TimeUnit.SECONDS.toNanos(s);
                long hi = lo + TimeUnit.SECONDS.toNanos(1);
                String phase = lo < faultAt ? RowResult.BASELINE : lo < healAt ? row.fault().phase : RowResult.RECOVERY;
                phaseSecond = phase.equals(lastPhase) ? phaseSecond + 1 : 1;
                lastPhase = phase;
                Map<String, Double> f = new LinkedHashMap<>();
                f.put(SplitBrainFigures.LEADERS, (double) samples.stream().filter(x -> x.nanos() >= lo && x.nanos() < hi)
                        .mapToInt(x -> x.leaders().size()).max().orElse(0));
                f.put(SplitBrainFigures.TERM, (double) samples.stream().filter(x -> x.nanos() >= lo && x.nanos() < hi)
                        .mapToLong(LeaderSampler.Sample::term).max().orElse(0));
                List<Workload.Write> in = writes.stream().filter(w -> w.ret() >= lo && w.ret() < hi).toList();
                f.put(SplitBrainFigures.ACKED, (double) in.stream().filter(w -> "acked".equals(w.outcome())).count());
                f.put(SplitBrainFigures.ACKED_STRUCK, (double) in.stream().filter(w -> "acked".equals(w.outcome())
                        && w.node().equals(struck)).count());
                f.put(SplitBrainFigures.REFUSED, (double) in.stream().filter(w -> Set.of("not_leader", "fenced",
                        "unreachable").contains(w.outcome())).count());
                f.put(SplitBrainFigures.UNKNOWN, (double) in.stream().filter(w -> !"acked".equals(w.outcome())
                        && !Set.of("not_leader", "fenced", "unreachable").contains(w.outcome())).count());
                f.put(SplitBrainFigures.READS, (double) reads.stream().filter(r -> r.ret() >= lo && r.ret() < hi).count());
                seconds.add(new SecondRecord(s + 1, phase, phaseSecond, f));
            }
            return seconds;
        }

        private List<Check> checks(SplitBrainResult data) {
            List<Check> checks = new ArrayList<>();
            data.row("naive-partition").ifPresent(r -> {
                checks.add(Check.atLeast("naive-partition.leaders", "naive HA, {leader} | {the other two}: nodes that"
                        + " said they led at one instant", r.maxLeaders(),
                        settings.number("hypothesis.naive-partition.min-leaders")));
                checks.add(Check.atLeast("naive-partition.lost", "naive HA, partition healed: acknowledged writes lost",
                        r.lost(), settings.number("hypothesis.naive-partition.min-lost")));
            });
            data.row("consensus-partition").ifPresent(r -> {
                checks.add(Check.atMost("consensus-partition.lost", "ZooKeeper election, majority writes, fencing:"
                        + " acknowledged writes lost", r.lost(), settings.number("hypothesis.consensus-partition.max-lost")));
                checks.add(Check.atMost("consensus-partition.violations", "ZooKeeper election, majority writes, fencing:"
                        + " registers not linearizable (or undecided)", r.violations() + r.undecided(),
                        settings.number("hypothesis.consensus-partition.max-violations")));
                checks.add(Check.atMost("consensus-partition.minority-commits", "the minority side's leader: writes it"
                        + " acknowledged during the partition", r.minorityCommits(),
                        settings.number("hypothesis.consensus-partition.max-minority-commits")));
                checks.add(Check.atMost("consensus-partition.recovery-s", "the majority side: seconds from the partition"
                        + " to its first acknowledged write", r.recoverySeconds() < 0 ? Double.POSITIVE_INFINITY
                        : r.recoverySeconds(), settings.duration("hypothesis.consensus-partition.max-recovery")
                        .toMillis() / 1000.0));
            });
            data.row("zombie").ifPresent(r -> checks.add(Check.atLeast("zombie.stale", "zombie leader, no fencing:"
                    + " stale writes the storage accepted", r.stale(), settings.number("hypothesis.zombie.min-stale"))));
            data.row("zombie-fencing").ifPresent(r -> checks.add(Check.atMost("zombie-fencing.stale", "zombie leader,"
                    + " fencing: stale writes the storage accepted", r.stale(),
                    settings.number("hypothesis.zombie-fencing.max-stale"))));
            return checks;
        }

        /** The incident: the naive partition (else the first row), from the fault to the row's end. */
        private Incident incident(SplitBrainResult data) {
            RowResult worst = data.row("naive-partition").orElse(data.rows().get(0));
            Instant start = timeline.events().stream().filter(e -> e.type().equals(SPLIT_FAULT)
                    && worst.row().equals(e.values().get("row"))).map(EventTimeline.Event::at)
                    .findFirst().orElse(timeline.events().get(0).at());
            Instant end = timeline.events().stream().filter(e -> e.type().equals(SPLIT_HEALED)
                    && worst.row().equals(e.values().get("row"))).map(EventTimeline.Event::at)
                    .findFirst().orElse(start);
            return new Incident("Split brain: " + worst.row(), worst.lost(), worst.acked(), start, end,
                    "the partition healed; the deposed leader took the new leader's copy and dropped its own writes",
                    String.format(Locale.ROOT, "%.0f nodes led at once for %.0f s; %.0f of %.0f acknowledged writes"
                            + " lost; %.0f registers not linearizable", worst.maxLeaders(), worst.twoLeaderSeconds(),
                            worst.lost(), worst.acked(), worst.violations()), start, "runbooks/split-brain.md",
                    List.of("Split brain"));
        }
    }

    /** groupingBy into a sorted map, for a stable progress line. */
    private static final class TreeMapCollector {
        static final java.util.function.Supplier<java.util.TreeMap<String, Long>> INSTANCE = java.util.TreeMap::new;
    }
}

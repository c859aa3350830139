package dev.failurelab.bench;

import static dev.failurelab.bench.BenchCommand.progress;
import static dev.failurelab.bench.MarkdownTable.num;
import static dev.failurelab.bench.MarkdownTable.times;

import dev.failurelab.cli.DurationConverter;
import dev.failurelab.lab.infra.FreePorts;
import dev.failurelab.lab.load.LoadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bench proxy}: what the fault proxy costs a request that passes through it with no
 * fault. The same echo-sized {@code GET /api/chain} (a bottom chain-service with no work) is
 * measured direct, through the fault proxy and through nginx as a plain reverse proxy to the
 * same upstream — every server in its own process, the paths taken in turn within each round —
 * at fixed rates (the lab's open-loop generator) and at saturation (wrk). Reports the latency
 * each proxy adds and its throughput, as ratios to direct, and judges the goal: the fault
 * proxy's added p50 and p99 at most 1.5× nginx's, its throughput at least 0.8× nginx's.
 *
 * <p>Run: {@code ./bench proxy} (about 7 minutes; needs nginx and wrk).
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "fault-proxy overhead against nginx: added latency at fixed rates, throughput at saturation")
final class ProxyBench implements Callable<Integer> {

    static final double GOAL_ADDED_LATENCY = 1.5;
    static final double GOAL_THROUGHPUT = 0.8;
    static final String PATH = "/api/chain";

    @Option(names = "--rates", split = ",", defaultValue = "1000,3000", paramLabel = "RPS,...",
            description = "fixed rates, requests per second (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "each fixed-rate run, per path and round (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--saturation", defaultValue = "10s", converter = DurationConverter.class,
            description = "each wrk run at saturation, per path and round; 0 skips saturation (default: ${DEFAULT-VALUE})")
    Duration saturation;

    @Option(names = "--connections", defaultValue = "64", description = "wrk's connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--wrk-threads", defaultValue = "2", description = "wrk's threads (default: ${DEFAULT-VALUE})")
    int wrkThreads;

    @Option(names = "--rounds", defaultValue = "2", description = "rounds; each takes every path in turn (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
            description = "saturating warm-up per path before measuring, for the JIT; 0 skips it (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--nginx-workers", defaultValue = "auto", description = "nginx worker_processes (default: ${DEFAULT-VALUE}: one per core)")
    String nginxWorkers;

    @Option(names = "--proxy-jvm", paramLabel = "OPTIONS", defaultValue = "",
            description = "JVM options of the fault proxy's process, space-separated, e.g. \"-XX:+UseParallelGC -Xmn256m\" (default: none)")
    String proxyJvm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A path a request can take to the upstream. */
    record Route(String name, URI url) {
    }

    @Override
    public Integer call() throws IOException {
        validate();
        PrintStream out = System.out;
        Path work = Files.createTempDirectory("bench-proxy-");
        int upstreamPort = FreePorts.next();
        URI upstreamUrl = URI.create("http://127.0.0.1:" + upstreamPort);
        int proxyPort = FreePorts.next();
        int nginxPort = FreePorts.next();
        out.println("# Fault-proxy overhead");
        out.println("machine: " + BenchCommand.machine());
        progress("starting the upstream, the fault proxy and nginx, each in its own process ...");
        try (ServerProcess upstream = ChildJvm.start("upstream", work, upstreamUrl.resolve(PATH), List.of(),
                        "upstream", "--port", String.valueOf(upstreamPort));
                ServerProcess proxy = ChildJvm.start("fault-proxy", work, URI.create("http://127.0.0.1:" + proxyPort + PATH),
                        jvmOptions(), "proxy", "--port", String.valueOf(proxyPort), "--control", String.valueOf(FreePorts.next()),
                        "--upstream", upstreamUrl.toString());
                Nginx nginx = Nginx.start(work, nginxWorkers, FreePorts.next(), nginxPort, upstreamUrl)) {
            List<Route> routes = List.of(new Route("direct", upstreamUrl.resolve(PATH)),
                    new Route("fault proxy", URI.create("http://127.0.0.1:" + proxyPort + PATH)),
                    new Route("nginx", URI.create("http://127.0.0.1:" + nginxPort + PATH)));
            out.println("upstream: chain-service bottom, no work (" + upstream + "); fault proxy: fault-injector, no fault ("
                    + proxy + (proxyJvm.isBlank() ? "" : ", JVM " + proxyJvm.trim()) + "); nginx: " + nginx.describe() + ", keepalive 256 to the upstream");
            out.println("request: GET " + PATH + " -> 200, " + Nginx.STATIC_BODY.length() + "-byte JSON; " + rounds
                    + " round(s), the paths in turn within each");
            Wrk wrk = new Wrk(work);
            boolean met = true;
            if (!warmup.isZero()) {
                // The JIT: each path saturated (a JVM on 2 busy cores takes tens of seconds to
                // compile its hot paths), then the generator itself at the highest rate.
                double highest = rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                for (Route route : routes) {
                    progress("warm-up: " + route.name() + " " + BenchCommand.format(warmup) + " saturated, then "
                            + num(highest, 0) + " req/s for 5s");
                    wrk.run(route.url(), wrkThreads, connections, warmup);
                    OpenLoopRun.run(route.url(), highest, Duration.ofSeconds(5));
                }
            }
            for (double rate : rates) {
                met &= fixedRate(out, routes, rate);
            }
            if (!saturation.isZero()) {
                met &= saturation(out, routes, wrk);
            }
            out.println();
            out.println("goal " + (met ? "met" : "MISSED") + ": fault proxy's added p50 and p99 <= "
                    + GOAL_ADDED_LATENCY + "x nginx's; its throughput >= " + GOAL_THROUGHPUT + "x nginx's");
            out.println("reproduce: " + reproduce());
            return 0;
        }
    }

    private List<String> jvmOptions() {
        return proxyJvm.isBlank() ? List.of() : List.of(proxyJvm.trim().split("\\s+"));
    }

    private void validate() {
        BenchCommand.require(spec, jvmOptions().stream().allMatch(o -> o.startsWith("-")),
                "--proxy-jvm: JVM options start with '-', e.g. -XX:+UseParallelGC");
        BenchCommand.requireRates(spec, "--rates", rates);
        BenchCommand.requireSeconds(spec, "--duration", duration, false);
        BenchCommand.requireSeconds(spec, "--saturation", saturation, true);
        BenchCommand.requireSeconds(spec, "--warmup", warmup, true);
        BenchCommand.require(spec, rounds >= 1 && rounds <= 20, "--rounds must be 1..20");
        BenchCommand.requireConnections(spec, connections);
        BenchCommand.require(spec, wrkThreads >= 1 && wrkThreads <= connections, "--wrk-threads must be 1..connections");
        BenchCommand.require(spec, nginxWorkers.matches("auto|[1-9][0-9]?"), "--nginx-workers must be auto or 1..99");
    }

    /** Every round of one route at one rate; latency histograms merged. */
    private static final class Merged {
        final Histogram latency = new Histogram(java.util.concurrent.TimeUnit.MINUTES.toMicros(10), 3);
        final List<OpenLoopRun> runs = new ArrayList<>();

        void add(OpenLoopRun run) {
            latency.add(run.result().latency());
            runs.add(run);
        }

        long sent() {
            return runs.stream().mapToLong(r -> r.result().sent()).sum();
        }

        long errors() {
            return runs.stream().mapToLong(OpenLoopRun::errors).sum();
        }

        double achieved() {
            return runs.stream().mapToDouble(r -> r.result().achievedRate()).average().orElse(Double.NaN);
        }

        /** How much this path's {@code percentile} moved between rounds, ms: the run-to-run noise. */
        double spread(double percentile) {
            DoubleSummaryStatistics values = runs.stream()
                    .mapToDouble(r -> r.result().latencyMillis(percentile)).summaryStatistics();
            return values.getCount() < 2 ? 0 : values.getMax() - values.getMin();
        }

        double millis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private boolean fixedRate(PrintStream out, List<Route> routes, double rate) {
        Map<String, Merged> merged = new LinkedHashMap<>();
        routes.forEach(route -> merged.put(route.name(), new Merged()));
        for (int round = 0; round < rounds; round++) {
            for (Route route : BenchCommand.rotated(routes, round)) {
                progress(String.format(Locale.ROOT, "%.0f req/s, round %d/%d: %s %s", rate, round + 1, rounds,
                        route.name(), BenchCommand.format(duration)));
                merged.get(route.name()).add(OpenLoopRun.run(route.url(), rate, duration));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "## %.0f req/s, fixed rate (open loop, latency from each intended send time), %s per path per round%n",
                rate, BenchCommand.format(duration));
        out.println();
        Merged direct = merged.get("direct");
        double[] percentiles = {50, 99, 99.9};
        MarkdownTable table = new MarkdownTable("path", "sent", "achieved req/s", "errors", "p50 ms", "p99 ms",
                "p99.9 ms", "added p50 ms", "added p99 ms", "added p99.9 ms", "p50 vs direct", "p99 vs direct",
                "p99.9 vs direct");
        for (Map.Entry<String, Merged> entry : merged.entrySet()) {
            Merged m = entry.getValue();
            List<Object> row = new ArrayList<>(List.of(entry.getKey(), m.sent(), num(m.achieved(), 0), m.errors()));
            for (double p : percentiles) {
                row.add(num(m.millis(p), 2));
            }
            for (double p : percentiles) {
                row.add(m == direct ? "–" : String.format(Locale.ROOT, "%+.2f", m.millis(p) - direct.millis(p)));
            }
            for (double p : percentiles) {
                row.add(m == direct ? "–" : times(m.millis(p) / direct.millis(p)));
            }
            table.row(row.toArray());
        }
        out.print(table);
        boolean met = true;
        List<String> verdicts = new ArrayList<>();
        for (double p : new double[] {50, 99}) {
            double ours = merged.get("fault proxy").millis(p) - direct.millis(p);
            double theirs = merged.get("nginx").millis(p) - direct.millis(p);
            Verdict verdict = addedLatency(ours, theirs, direct.spread(p));
            met &= verdict.met();
            verdicts.add(String.format(Locale.ROOT, "p%s %s", p == 50 ? "50" : "99", verdict.text()));
        }
        long errors = merged.values().stream().mapToLong(Merged::errors).sum();
        if (errors > 0) {
            verdicts.add(errors + " request(s) failed or dropped: the rate was not served on every path");
        }
        out.println();
        out.println("added latency, fault proxy vs nginx: " + String.join("; ", verdicts));
        return met;
    }

    /** A judged ratio and how to print it. */
    record Verdict(boolean met, String text) {
    }

    /**
     * The fault proxy's added latency against nginx's. When nginx adds less than the noise (the
     * larger of 0.02 ms and how far the direct path's figure moved between rounds, {@code noise}),
     * a ratio means nothing: the fault proxy must then add at most 1.5 times that noise.
     */
    static Verdict addedLatency(double ours, double theirs, double noise) {
        double floor = Math.max(0.02, noise);
        if (theirs < floor) {
            boolean met = ours <= floor * GOAL_ADDED_LATENCY;
            return new Verdict(met, String.format(Locale.ROOT, "fault proxy %+.2f ms, nginx %+.2f ms (nginx adds less than "
                    + "the noise, %.2f ms) -> %s", ours, theirs, floor, met ? "met" : "MISSED"));
        }
        double ratio = Math.max(0, ours) / theirs;
        boolean met = ratio <= GOAL_ADDED_LATENCY;
        return new Verdict(met, String.format(Locale.ROOT, "fault proxy %+.2f ms, nginx %+.2f ms -> %s (goal <= %.1fx) %s",
                ours, theirs, times(ratio), GOAL_ADDED_LATENCY, met ? "met" : "MISSED"));
    }

    private boolean saturation(PrintStream out, List<Route> routes, Wrk wrk) {
        Map<String, List<Wrk.Result>> results = new LinkedHashMap<>();
        routes.forEach(route -> results.put(route.name(), new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (Route route : BenchCommand.rotated(routes, round)) {
                progress(String.format(Locale.ROOT, "saturation, round %d/%d: %s %s", round + 1, rounds, route.name(),
                        Wrk.describe(wrkThreads, connections, saturation)));
                results.get(route.name()).add(wrk.run(route.url(), wrkThreads, connections, saturation));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "## Saturation (%s, closed loop), mean of %d round(s)%n",
                Wrk.describe(wrkThreads, connections, saturation), rounds);
        out.println();
        double direct = mean(results.get("direct"), Wrk.Result::rate);
        MarkdownTable table = new MarkdownTable("path", "req/s", "vs direct", "p50 ms", "p99 ms", "p99.9 ms",
                "errors", "non-2xx", "req/s per round");
        results.forEach((name, runs) -> {
            double rate = mean(runs, Wrk.Result::rate);
            table.row(name, num(rate, 0), name.equals("direct") ? "–" : times(rate / direct),
                    num(mean(runs, Wrk.Result::p50), 2), num(mean(runs, Wrk.Result::p99), 2),
                    num(mean(runs, Wrk.Result::p999), 2), runs.stream().mapToLong(Wrk.Result::errors).sum(),
                    runs.stream().mapToLong(Wrk.Result::non2xx).sum(),
                    runs.stream().map(r -> num(r.rate(), 0)).collect(Collectors.joining(" ")));
        });
        out.print(table);
        double ratio = mean(results.get("fault proxy"), Wrk.Result::rate) / mean(results.get("nginx"), Wrk.Result::rate);
        boolean met = ratio >= GOAL_THROUGHPUT;
        out.println();
        out.printf(Locale.ROOT, "throughput, fault proxy vs nginx: %s (goal >= %.1fx) %s%n", times(ratio), GOAL_THROUGHPUT,
                met ? "met" : "MISSED");
        return met;
    }

    private static double mean(List<Wrk.Result> runs, java.util.function.ToDoubleFunction<Wrk.Result> figure) {
        return runs.stream().mapToDouble(figure).average().orElse(Double.NaN);
    }

    private String reproduce() {
        return "./bench proxy --rates " + rates.stream().map(r -> num(r, r % 1 == 0 ? 0 : 1)).collect(Collectors.joining(","))
                + " --duration " + BenchCommand.format(duration) + " --saturation " + BenchCommand.format(saturation)
                + " --connections " + connections + " --wrk-threads " + wrkThreads + " --rounds " + rounds
                + " --warmup " + BenchCommand.format(warmup) + " --nginx-workers " + nginxWorkers
                + (proxyJvm.isBlank() ? "" : " --proxy-jvm \"" + proxyJvm.trim() + "\"");
    }
}

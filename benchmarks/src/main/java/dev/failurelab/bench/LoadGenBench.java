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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bench loadgen}: how exactly the lab's open-loop generator keeps its schedule. Against
 * a server that is never the bottleneck (nginx's static answer), it runs at fixed rates and
 * reports achieved against target rate and the send-time error (actual minus intended send
 * time); then it searches the highest rate it sustains here, and compares it with what wrk (a
 * closed loop in C) gets from the same server.
 *
 * <p>Run: {@code ./bench loadgen} (about 2 minutes; needs nginx and wrk).
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "load-generator accuracy: achieved rate and send-time error at fixed rates, its highest sustained rate, wrk for reference")
final class LoadGenBench implements Callable<Integer> {

    /** Sustained: at least this share of the target rate sent, and every request answered 2xx. */
    static final double SUSTAINED_SHARE = 0.98;
    /** Sustained: the send-time error's p99 at most this (a late send is an arrival at the wrong time). */
    static final long SUSTAINED_LAG_P99_MICROS = 5_000;
    /**
     * Sustained: latency p99 at most this. nginx's static answer takes well under a millisecond,
     * so a p99 past it means the generator's own receiving side fell behind.
     */
    static final double SUSTAINED_LATENCY_P99_MS = 50;

    @Option(names = "--rates", split = ",", defaultValue = "500,2000", paramLabel = "RPS,...",
            description = "fixed rates to report, requests per second (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "each fixed-rate run (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--search-from", defaultValue = "2000", description = "first rate the search for the highest sustained rate tries; 0 skips the search (default: ${DEFAULT-VALUE})")
    double searchFrom;

    @Option(names = "--search-duration", defaultValue = "5s", converter = DurationConverter.class,
            description = "each run of the search (default: ${DEFAULT-VALUE})")
    Duration searchDuration;

    @Option(names = "--connections", defaultValue = "64", description = "wrk's connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "the generator's own warm-up at 2000 req/s, for the JIT; 0 skips it (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        BenchCommand.requireRates(spec, "--rates", rates);
        BenchCommand.requireSeconds(spec, "--duration", duration, false);
        BenchCommand.requireSeconds(spec, "--search-duration", searchDuration, false);
        BenchCommand.require(spec, searchFrom == 0 || (searchFrom >= 1 && searchFrom <= LoadSpec.MAX_RATE),
                "--search-from must be 0 (skip) or 1.." + (long) LoadSpec.MAX_RATE);
        BenchCommand.requireConnections(spec, connections);
        BenchCommand.requireSeconds(spec, "--warmup", warmup, true);
        PrintStream out = System.out;
        Path work = Files.createTempDirectory("bench-loadgen-");
        int port = FreePorts.next();
        out.println("# Load-generator accuracy");
        out.println("machine: " + BenchCommand.machine());
        try (Nginx nginx = Nginx.start(work, "auto", port, 0, null)) {
            URI target = URI.create("http://127.0.0.1:" + port + "/");
            out.println("target: nginx static 200 (" + nginx.describe() + "), never the bottleneck");
            if (!warmup.isZero()) {
                progress("warm-up: " + BenchCommand.format(warmup) + " at 2000 req/s (the generator's JIT)");
                OpenLoopRun.run(target, 2000, warmup);
            }
            MarkdownTable table = table();
            for (double rate : rates) {
                progress(String.format(Locale.ROOT, "%.0f req/s for %s", rate, BenchCommand.format(duration)));
                row(table, "fixed", rate, OpenLoopRun.run(target, rate, duration));
            }
            out.println();
            out.printf(Locale.ROOT, "## Fixed rates, %s each%n%n", BenchCommand.format(duration));
            out.print(table);
            if (searchFrom > 0) {
                search(out, target, new Wrk(work));
            }
            out.println();
            out.println("reproduce: ./bench loadgen --rates " + rates.stream().map(r -> num(r, 0))
                    .collect(Collectors.joining(",")) + " --duration " + BenchCommand.format(duration)
                    + " --search-from " + num(searchFrom, 0) + " --search-duration " + BenchCommand.format(searchDuration)
                    + " --connections " + connections + " --warmup " + BenchCommand.format(warmup));
            return 0;
        }
    }

    private static MarkdownTable table() {
        return new MarkdownTable("run", "target req/s", "achieved req/s", "achieved / target", "send error p50 µs",
                "p99 µs", "p99.9 µs", "max µs", "dropped", "not 2xx", "latency p50 ms", "p99 ms", "sustained");
    }

    private static void row(MarkdownTable table, String run, double rate, OpenLoopRun r) {
        table.row(run, num(rate, 0), num(r.result().achievedRate(), 0), num(r.result().achievedRate() / rate, 3),
                num(r.lagMicros(50), 0), num(r.lagMicros(99), 0), num(r.lagMicros(99.9), 0),
                num(r.sendLag().getMaxValue(), 0), r.result().dropped(), r.result().sent() - r.result().succeeded(),
                num(r.result().latencyMillis(50), 2), num(r.result().latencyMillis(99), 2), sustained(rate, r) ? "yes" : "no");
    }

    static boolean sustained(double rate, OpenLoopRun run) {
        return run.result().achievedRate() >= SUSTAINED_SHARE * rate && run.errors() == 0
                && run.lagMicros(99) <= SUSTAINED_LAG_P99_MICROS
                && run.result().latencyMillis(99) <= SUSTAINED_LATENCY_P99_MS;
    }

    /** Doubles from {@code searchFrom} until a rate is not sustained, then halves the gap three times. */
    private void search(PrintStream out, URI target, Wrk wrk) {
        MarkdownTable table = table();
        double good = 0;
        double bad = 0;
        OpenLoopRun best = null;
        for (double rate = searchFrom; rate <= LoadSpec.MAX_RATE; rate *= 2) {
            OpenLoopRun run = probe(table, target, rate);
            if (!sustained(rate, run)) {
                bad = rate;
                break;
            }
            good = rate;
            best = run;
        }
        for (int step = 0; step < 3 && bad > 0; step++) {
            double rate = Math.round((good + bad) / 2);
            OpenLoopRun run = probe(table, target, rate);
            if (sustained(rate, run)) {
                good = rate;
                best = run;
            } else {
                bad = rate;
            }
        }
        progress("wrk " + Wrk.describe(2, connections, duration) + " on the same server");
        Wrk.Result reference = wrk.run(target, 2, connections, duration);
        out.println();
        out.printf(Locale.ROOT, "## Highest sustained rate (search, %s per step; sustained: >= %.0f%% of the target sent, "
                + "every answer 2xx, send error p99 <= %d ms, latency p99 <= %.0f ms)%n%n", BenchCommand.format(searchDuration),
                SUSTAINED_SHARE * 100, SUSTAINED_LAG_P99_MICROS / 1000, SUSTAINED_LATENCY_P99_MS);
        out.print(table);
        out.println();
        MarkdownTable compare = new MarkdownTable("generator", "req/s", "latency p50 ms", "p99 ms", "note");
        compare.row("failure-lab open loop", good > 0 ? num(good, 0) : "< " + num(searchFrom, 0),
                best == null ? "–" : num(best.result().latencyMillis(50), 2),
                best == null ? "–" : num(best.result().latencyMillis(99), 2),
                "highest sustained fixed rate; latency from each intended send time");
        compare.row("wrk " + Wrk.describe(2, connections, duration).substring(4), num(reference.rate(), 0),
                num(reference.p50(), 2), num(reference.p99(), 2), "closed loop, as fast as answered; no fixed rate");
        out.print(compare);
        out.println();
        out.printf(Locale.ROOT, "highest sustained open-loop rate: %s req/s = %s wrk's closed-loop maximum%n",
                good > 0 ? num(good, 0) : "below " + num(searchFrom, 0), times(good / reference.rate()));
    }

    private OpenLoopRun probe(MarkdownTable table, URI target, double rate) {
        progress(String.format(Locale.ROOT, "search: %.0f req/s for %s", rate, BenchCommand.format(searchDuration)));
        OpenLoopRun run = OpenLoopRun.run(target, rate, searchDuration);
        row(table, "search", rate, run);
        return run;
    }
}

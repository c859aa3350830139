package dev.failurelab.cli;

import dev.failurelab.lab.load.ClosedLoopLoadGenerator;
import dev.failurelab.lab.load.KeyedRequests;
import dev.failurelab.lab.load.LoadResult;
import dev.failurelab.lab.load.LoadSpec;
import dev.failurelab.lab.load.LoadTimeline;
import dev.failurelab.lab.load.OpenLoopLoadGenerator;
import dev.failurelab.lab.load.RequestHeaders;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lab load}: open-loop load at a fixed rate, or ({@code --closed-loop}) the closed loop
 * of {@code hey} and {@code wrk}, to see what that hides; one progress line per second.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Send open-loop load: a fixed arrival rate that does not slow down when the system does;"
                + " latency from each request's intended start. --closed-loop instead runs --concurrency workers"
                + " that each wait for their answer before the next request (like hey -c N -q RATE/N).")
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "100", description = "requests per second (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long to send, e.g. 60s, 2m (default: ${DEFAULT-VALUE})")
    Duration duration;
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/api/chain", description = "target (default: ${DEFAULT-VALUE})")
    URI url;
    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "per-request timeout (default: ${DEFAULT-VALUE})")
    Duration timeout;
    @Option(names = "--max-requests", description = "stop after this many requests (default: rate x duration)")
    Long maxRequests;
    @Option(names = "--closed-loop", description = "closed loop: --concurrency workers, each waiting for its answer;"
            + " --rate caps them all together")
    boolean closedLoop;
    @Option(names = "--concurrency", defaultValue = "12",
            description = "workers of --closed-loop (default: ${DEFAULT-VALUE}, hey's -c; hey -c 12 -q 5 is 60 req/s)")
    int concurrency;
    @Option(names = "--deadline", description = "send each request's deadline (X-Deadline: its intended start plus"
            + " --timeout), as a caller that propagates it does")
    boolean deadline;
    @Option(names = "--batch-share", description = "this share (0..1) of the requests X-Priority: batch, spread"
            + " evenly; the others live (default: no X-Priority)")
    Double batchShare;
    @Option(names = "--keys", description = "a keyed load on the partition router (--url its base, e.g."
            + " http://127.0.0.1:8086): keys k1..kN drawn from a Zipf distribution; each request GET /api/kv/<key>"
            + " or (--write-share) POST /api/counter/<key>")
    Integer keys;
    @Option(names = "--zipf", defaultValue = "0.99", description = "the keyed load's Zipf exponent (default:"
            + " ${DEFAULT-VALUE}, YCSB's)")
    double zipf;
    @Option(names = "--celebrity", defaultValue = "celebrity", description = "the keyed load's celebrity key"
            + " (default: ${DEFAULT-VALUE})")
    String celebrity;
    @Option(names = "--celebrity-share", defaultValue = "0", description = "this share (0..1) of the keyed load's"
            + " requests to the celebrity key (default: ${DEFAULT-VALUE}; the lab's trigger: 0.3)")
    double celebrityShare;
    @Option(names = "--write-share", defaultValue = "0", description = "this share (0..1) of the keyed load's"
            + " requests increments (default: ${DEFAULT-VALUE})")
    double writeShare;
    @Option(names = "--seed", defaultValue = "42", description = "the keyed load's seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--quiet", description = "no per-second lines, only the summary")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        LoadSpec load;
        try {
            LoadSpec base = LoadSpec.of(url, rate, duration);
            load = new LoadSpec(java.util.List.of(url), rate, duration, maxRequests == null ? base.maxRequests() : maxRequests, timeout,
                    LoadSpec.DEFAULT_MAX_OUTSTANDING);
            RequestHeaders headers = deadline ? RequestHeaders.deadline(timeout) : RequestHeaders.NONE;
            if (batchShare != null) {
                RequestHeaders priorities = RequestHeaders.priorities(batchShare);
                headers = deadline ? headers.and(priorities) : priorities;
            }
            load = load.withHeaders(headers);
            if (keys != null) {
                load = load.withPlan(new KeyedRequests(new KeyedRequests.Keys(keys, zipf), celebrity, celebrityShare,
                        writeShare, seed));
            }
        } catch (IllegalArgumentException e) {
            if (batchShare != null && e.getMessage().contains("batch share")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--batch-share must be between 0 and 1, got " + batchShare);
            }
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (closedLoop && (deadline || batchShare != null || keys != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--deadline, --batch-share and --keys go with open-loop load, not --closed-loop");
        }
        if (closedLoop && (concurrency < 1 || concurrency > ClosedLoopLoadGenerator.MAX_CONCURRENCY)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be between 1 and "
                    + ClosedLoopLoadGenerator.MAX_CONCURRENCY + ", got " + concurrency);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (closedLoop) {
            out.printf(Locale.ROOT, "closed-loop load: %d workers, at most %.0f req/s in all, for %ss to %s (timeout %sms);"
                    + " a worker waits for its answer before its next request%n", concurrency, rate,
                    duration.toMillis() / 1000.0, url, timeout.toMillis());
        } else {
            out.printf(Locale.ROOT, "open-loop load: %.0f req/s for %ss to %s (timeout %sms%s%s)%n", rate,
                    duration.toMillis() / 1000.0, url, timeout.toMillis(), deadline ? ", deadline sent" : "",
                    batchShare == null ? "" : String.format(Locale.ROOT, ", %.0f%% batch", batchShare * 100));
            if (keys != null) {
                out.printf(Locale.ROOT, "keys k1..k%d Zipf(%s); %.0f%% to '%s'; %.0f%% increments%n", keys, zipf,
                        celebrityShare * 100, celebrity, writeShare * 100);
            }
        }
        LoadTimeline timeline = new LoadTimeline(System.nanoTime());
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "load-progress");
            thread.setDaemon(true);
            return thread;
        });
        AtomicLong printed = new AtomicLong(-1);
        if (!quiet) {
            out.println("   t  sent/s  ok/s  fail/s  timeout/s  p50ms  p99ms");
            progress.scheduleAtFixedRate(() -> {
                long last = timeline.currentSecond() - 1;
                for (long s = printed.get() + 1; s <= last; s++) {
                    LoadTimeline.SecondSample x = timeline.sample(s);
                    out.printf(Locale.ROOT, "%4d  %6d  %4d  %6d  %9d  %5.0f  %5.0f%n", s + 1, x.sent(), x.succeeded(),
                            x.failed(), x.timeouts() + x.connectErrors(), x.p50Millis(), x.p99Millis());
                    printed.set(s);
                }
                out.flush();
            }, 1, 1, TimeUnit.SECONDS);
        }
        LoadResult result;
        try {
            if (closedLoop) {
                result = new ClosedLoopLoadGenerator().run(load, concurrency, timeline);
            } else {
                OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
                try {
                    result = generator.run(load, timeline);
                } finally {
                    generator.close();
                }
            }
        } finally {
            progress.shutdownNow();
        }
        out.println(result.summary());
        out.flush();
        return 0;
    }
}

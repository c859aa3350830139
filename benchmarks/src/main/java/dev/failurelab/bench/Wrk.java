package dev.failurelab.bench;

import dev.failurelab.lab.infra.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (the Debian package): a closed loop of {@code connections} kept-alive connections on
 * {@code threads} threads, as fast as the server answers — the saturation measure. A Lua
 * {@code done} hook prints the exact figures (wrk's own summary rounds them), p99.9 among them.
 */
final class Wrk {

    private static final String SCRIPT = """
            -- written by ./bench: print wrk's totals and latency percentiles (microseconds) on one line
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("BENCH requests=%d duration_us=%d errors=%d non2xx=%d p50=%d p99=%d p999=%d max=%d\\n",
                summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
            end
            """;
    private static final Pattern LINE = Pattern.compile("BENCH (.*)");

    /** One wrk run's figures; latencies in milliseconds. */
    record Result(long requests, double seconds, long errors, long non2xx, double p50, double p99, double p999,
            double max) {

        double rate() {
            return requests / seconds;
        }
    }

    private final ExternalTool wrk = ExternalTool.require("wrk");
    private final Path script;

    Wrk(Path workDir) {
        try {
            script = workDir.resolve("bench.lua");
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line a run uses, for the reproduce line. */
    static String describe(int threads, int connections, Duration duration) {
        return "wrk -t" + threads + " -c" + connections + " -d" + duration.toSeconds() + "s";
    }

    /** The figures of the script's line in wrk's output. */
    static Result parse(String output) {
        Matcher line = LINE.matcher(output);
        if (!line.find()) {
            throw new IllegalStateException("wrk printed no figures (is it built with Lua?):\n" + output);
        }
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.group(1).trim().split(" ")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return new Result(values.get("requests"), values.get("duration_us") / 1e6, values.get("errors"),
                values.get("non2xx"), values.get("p50") / 1000.0, values.get("p99") / 1000.0,
                values.get("p999") / 1000.0, values.get("max") / 1000.0);
    }

    Result run(URI url, int threads, int connections, Duration duration) {
        try {
            ExternalTool.Result run = wrk.run(script.getParent(), duration.plusSeconds(30), "-t" + threads,
                    "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "5s", "-s",
                    script.toString(), url.toString());
            if (run.exitCode() != 0) {
                throw new IllegalStateException("wrk failed (exit " + run.exitCode() + "):\n" + run.output());
            }
            return parse(run.output());
        } catch (IOException e) {
            throw new UncheckedIOException("wrk: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running wrk", e);
        }
    }
}

package dev.failurelab.lab.infra;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program from the operating system the lab checks or measures with (promtool, prometheus,
 * docker-compose, nginx, wrk). A missing one is an error naming the Debian package to install,
 * never a silent skip: {@code .ci/run} installs them.
 */
public record ExternalTool(Path binary) {

    /** Output (stdout and stderr together) and exit code of one run. */
    public record Result(int exitCode, String output) {
    }

    /** Where daemons such as nginx live when {@code sbin} is not on a user's PATH. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    /** {@code name} on the PATH (or in an sbin folder), or an {@link IllegalStateException} naming the package. */
    public static ExternalTool require(String name, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return new ExternalTool(candidate);
            }
        }
        throw new IllegalStateException("'" + name + "' is not installed: apt-get install " + debianPackage
                + " (.ci/run does)");
    }

    /** Runs to completion (at most {@code limit}); a run past it is killed and reported. */
    public Result run(Path workingDir, Duration limit, String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(args)).directory(workingDir.toFile()).redirectErrorStream(true)
                .start();
        // Read on another thread so that a hung tool cannot block past the limit.
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e.getMessage()).append(')');
            }
        }, binary.getFileName() + "-output");
        reader.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(command(args) + " did not finish within " + limit.toSeconds() + " s");
        }
        reader.join(TimeUnit.SECONDS.toMillis(5)); // join: the reader's appends are visible after it
        return new Result(process.exitValue(), output.toString());
    }

    /** Runs within 60 seconds. */
    public Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        return run(workingDir, Duration.ofSeconds(60), args);
    }

    /** Starts it in the background, stdout and stderr to {@code log}. */
    public Process start(Path workingDir, Path log, String... args) throws IOException {
        return new ProcessBuilder(command(args)).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return command;
    }
}

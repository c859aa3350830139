package dev.failurelab.lab.infra;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program from the operating system the lab checks or measures with (promtool, prometheus,
 * docker-compose, chromium, nginx, wrk). Every one is listed, with its Debian package and Homebrew
 * formula, in {@code external-tools.tsv} (this module's resources), the list {@code ./test} reads
 * to install what is missing. A missing one is an error naming the package, never a silent skip.
 */
public record ExternalTool(Path binary) {

    /** The list's resource. */
    public static final String LIST = "/external-tools.tsv";

    /**
     * One line of the list.
     *
     * @param names         the command, and its alternatives (e.g. chromium, chromium-browser)
     * @param debianPackage its Debian/Ubuntu package
     * @param brewFormula   its Homebrew formula
     * @param purpose       what needs it
     */
    public record Listed(List<String> names, String debianPackage, String brewFormula, String purpose) {
    }

    /** Every tool of {@code external-tools.tsv}, in its order (read once). */
    public static List<Listed> listed() {
        return ListHolder.LISTED;
    }

    /** The list, read on first use. */
    private static final class ListHolder {
        static final List<Listed> LISTED = List.copyOf(read());
    }

    private static List<Listed> read() {
        List<Listed> listed = new ArrayList<>();
        try (var in = ExternalTool.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("no " + LIST + " on the classpath");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 4) {
                    throw new IllegalStateException(LIST + ": expected 4 tab-separated fields, got: " + line);
                }
                listed.add(new Listed(List.of(fields[0].split("\\|")), fields[1], fields[2], fields[3]));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return listed;
    }

    /** {@code name}'s line of the list; a tool the list does not name is a programming error. */
    public static Listed listing(String name) {
        return listed().stream().filter(l -> l.names().contains(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("'" + name + "' is not in " + LIST + ": add it there, so ./test installs it"));
    }

    /** Output (stdout and stderr together) and exit code of one run. */
    public record Result(int exitCode, String output) {
    }

    /** Where daemons such as nginx live when {@code sbin} is not on a user's PATH. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    /** {@code name} on the PATH (or in an sbin folder), or an {@link IllegalStateException} naming the package. */
    public static ExternalTool require(String name) {
        Listed listing = listing(name);
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
        throw new IllegalStateException("'" + name + "' is not installed (" + listing.purpose() + "): ./test installs"
                + " it, or apt-get install " + listing.debianPackage() + " / brew install " + listing.brewFormula());
    }

    /** Runs to completion (at most {@code limit}); a run past it is killed and reported. */
    public Result run(Path workingDir, Duration limit, String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(args)).directory(workingDir.toFile()).redirectErrorStream(true)
                .start();
        return await(process, command(args), limit);
    }

    private static Result await(Process process, List<String> command, Duration limit)
            throws IOException, InterruptedException {
        // Read on another thread so that a hung tool cannot block past the limit.
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e.getMessage()).append(')');
            }
        }, command.get(0) + "-output");
        reader.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(command + " did not finish within " + limit.toSeconds() + " s");
        }
        reader.join(TimeUnit.SECONDS.toMillis(5)); // join: the reader's appends are visible after it
        return new Result(process.exitValue(), output.toString());
    }

    /** Runs within 60 seconds. */
    public Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        return run(workingDir, Duration.ofSeconds(60), args);
    }

    /**
     * Runs one of the project's own scripts ({@code bash script args}, from {@code root}, with
     * {@code env} added to the environment) to completion, at most {@code limit}: how the scripts'
     * tests run them. Bash is a prerequisite of the project, as Java is, so it is not listed.
     */
    public static Result script(Path root, Map<String, String> env, Duration limit, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return await(builder.start(), command, limit);
    }

    /**
     * Runs one command line as written ({@code bash -c line}, from {@code root}, with {@code env}
     * added) to completion, at most {@code limit}: how a runbook's command is run as an on-call
     * engineer types it.
     */
    public static Result shell(Path root, Map<String, String> env, Duration limit, String line)
            throws IOException, InterruptedException {
        List<String> command = List.of("bash", "-c", line);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return await(builder.start(), command, limit);
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

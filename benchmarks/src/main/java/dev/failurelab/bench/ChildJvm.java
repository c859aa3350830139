package dev.failurelab.bench;

import dev.failurelab.lab.control.LabHttp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark server ({@code bench serve ...}) in a JVM of its own, started from the same
 * classpath as this one and stopped (SIGTERM, then kill) on {@link #close}. Its output goes to a
 * log that an error quotes.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code bench serve <args>} with {@code jvmOptions} and waits until {@code ready} answers 200. */
    static ChildJvm start(String name, Path workDir, URI ready, List<String> jvmOptions, String... serveArgs) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(1, jvmOptions);
        command.add("serve");
        command.addAll(List.of(serveArgs));
        Path log = workDir.resolve(name + ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
        ChildJvm child = new ChildJvm(name, process, log);
        LabHttp http = new LabHttp();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (http.status(ready, Duration.ofSeconds(2)) != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String tail = child.logTail();
                child.close();
                throw new IllegalStateException(name + " did not start (" + ready + " never answered 200):\n" + tail);
            }
            sleep(200);
        }
        return child;
    }

    /** The java binary and classpath of this JVM, with this program's main class. */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        if (!classpath.contains(File.pathSeparator) && classpath.endsWith("-exec.jar")) {
            return List.of(java, "-jar", classpath);
        }
        return List.of(java, "-cp", classpath, BenchCommand.class.getName());
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}

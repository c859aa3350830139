package dev.failurelab.bench;

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

/**
 * A benchmark server ({@code bench serve ...}) in a JVM of its own, started from the same
 * classpath as this one, so that it shares no heap, JIT or GC with the load generator — as nginx
 * does not. Its output goes to a log that an error quotes.
 */
final class ChildJvm {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private ChildJvm() {
    }

    /** Starts {@code bench serve <args>} with {@code jvmOptions} and waits until {@code ready} answers 200. */
    static ServerProcess start(String name, Path workDir, URI ready, List<String> jvmOptions, String... serveArgs) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(1, jvmOptions);
        command.add("serve");
        command.addAll(List.of(serveArgs));
        Path log = workDir.resolve(name + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return ServerProcess.await(name, process, ready, START_LIMIT, () -> tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
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

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

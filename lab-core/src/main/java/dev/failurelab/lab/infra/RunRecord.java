package dev.failurelab.lab.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a lab JVM started that must not outlive it, recorded in one place: a folder per JVM,
 * {@code <tmp>/failure-lab-runs/<pid>/}, with one file per embedded server ({@code servers/<name>.txt}:
 * its pids or pid files, ports and folders) and the servers' data folders.
 *
 * <p>Two guards use it, as Testcontainers' Ryuk does for containers:
 * <ul>
 *   <li><b>a watchdog process</b> ({@code reaper.sh}), started with the first record of a JVM. It
 *       polls the JVM's pid; if the JVM dies without removing its folder (kill -9, a crash, an
 *       out-of-memory kill), it ends the recorded processes and removes the folders within about a
 *       second. A process that polls its parent works on Linux and macOS alike and needs no native
 *       code (a parent-death signal would need {@code prctl}, Linux only, from JNI); it ignores the
 *       terminal's SIGINT and SIGHUP, so Ctrl-C reaches the JVM, which stops everything itself;</li>
 *   <li><b>the next start</b>: {@link #current()} first cleans the folders of JVMs that are gone (a
 *       watchdog that could not run: a reboot, a killed process group), and says so in one line.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance per JVM; each server's file is written once and deleted once.
 */
public final class RunRecord {

    /** Where every JVM's folder lives ({@code java.io.tmpdir}, so a test can move it). */
    public static Path root() {
        return Path.of(System.getProperty("java.io.tmpdir"), "failure-lab-runs");
    }

    private static RunRecord current;
    private static boolean swept;

    private final Path folder;

    private RunRecord(Path folder) {
        this.folder = folder;
    }

    /**
     * This JVM's record: on first use, cleans what dead JVMs left (printing one line if anything),
     * creates this JVM's folder and starts its watchdog.
     */
    public static synchronized RunRecord current() {
        if (current == null) {
            sweep();
            Path folder = root().resolve(Long.toString(ProcessHandle.current().pid()));
            try {
                Files.createDirectories(folder.resolve("servers"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + folder, e);
            }
            current = new RunRecord(folder);
            current.startWatchdog();
            Runtime.getRuntime().addShutdownHook(new Thread(current::removeIfEmpty, "run-record"));
        }
        return current;
    }

    /**
     * Once per JVM: ends what dead JVMs left behind, and says so in one line on stderr (every
     * {@code ./lab up} and {@code ./lab run} starts with it).
     */
    public static synchronized void sweep() {
        if (!swept) {
            swept = true;
            String cleaned = cleanLeftovers(root());
            if (!cleaned.isEmpty()) {
                System.err.println("cleaned up after runs that did not stop: " + cleaned);
            }
        }
    }

    /** This JVM's folder. */
    public Path folder() {
        return folder;
    }

    /** A data folder for a server, inside this JVM's folder (removed with it). */
    public Path dataFolder(String name) {
        return folder.resolve(name);
    }

    /** Records a server this JVM started; close the entry once the server is stopped. */
    public Entry record(String name) {
        return new Entry(folder.resolve("servers").resolve(name + ".txt"));
    }

    /** One server's record: what the watchdog ends and removes if this JVM dies first. Thread-safe. */
    public static final class Entry implements AutoCloseable {

        private final Path file;
        private final List<Path> folders = new ArrayList<>();

        private Entry(Path file) {
            this.file = file;
        }

        /** A process to end. */
        public Entry pid(long pid) {
            return append("pid " + pid);
        }

        /** A file whose first line will name the process to end (PostgreSQL's postmaster.pid). */
        public Entry pidFile(Path pidFile) {
            return append("pidfile " + pidFile.toAbsolutePath());
        }

        /** A port the server holds (for the record; a killed server frees it). */
        public Entry port(int port) {
            return append("port " + port);
        }

        /** A folder to remove. */
        public Entry folder(Path folder) {
            folders.add(folder);
            return append("dir " + folder.toAbsolutePath());
        }

        private synchronized Entry append(String line) {
            try {
                Files.writeString(file, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record " + line + " in " + file, e);
            }
            return this;
        }

        /** The server is stopped: its folders and its record go. */
        @Override
        public synchronized void close() {
            folders.forEach(RunRecord::deleteTree);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the watchdog would remove the folder anyway
            }
        }
    }

    /**
     * Ends what the JVMs recorded under {@code root} left behind, for each JVM that is gone.
     *
     * @return one line per JVM cleaned, joined; empty if none
     */
    public static String cleanLeftovers(Path root) {
        if (!Files.isDirectory(root)) {
            return "";
        }
        List<String> cleaned = new ArrayList<>();
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.toList()) {
                long owner;
                try {
                    owner = Long.parseLong(run.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (owner == ProcessHandle.current().pid() || ProcessHandle.of(owner).map(ProcessHandle::isAlive)
                        .orElse(false)) {
                    continue;
                }
                cleaned.add(reap(owner, run));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
        return String.join("; ", cleaned);
    }

    /** Runs the watchdog's script at once for a dead owner: ends and removes, and says what. */
    private static String reap(long owner, Path run) {
        try {
            Process process = new ProcessBuilder("bash", "-c", script(), "reaper", Long.toString(owner), run.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "pid " + owner + ": the clean-up did not finish within 30 s";
            }
            return output;
        } catch (IOException e) {
            return "pid " + owner + ": cannot clean up (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "pid " + owner + ": clean-up interrupted";
        }
    }

    private void startWatchdog() {
        try {
            new ProcessBuilder("bash", "-c", script(), "reaper", Long.toString(ProcessHandle.current().pid()),
                    folder.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            // No bash: the next start cleans up instead.
            System.err.println("no watchdog for this run (" + e.getMessage() + "): if it is killed, the next start"
                    + " cleans up after it");
        }
    }

    /** At a normal exit, after every server stopped: the folder goes (and the watchdog ends). */
    private void removeIfEmpty() {
        try (Stream<Path> servers = Files.list(folder.resolve("servers"))) {
            if (servers.findAny().isEmpty()) {
                deleteTree(folder);
            }
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static String script() {
        try (InputStream in = RunRecord.class.getResourceAsStream("reaper.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("reaper.sh is missing from the classpath", e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort: what is left, the next start's clean-up removes
        }
    }
}

package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external tool the workshop stack is checked with (promtool, docker-compose, prometheus).
 * A missing tool fails the test with the package to install, never skips it: {@code .ci/run}
 * installs them.
 */
record Tool(Path binary) {

    /** Output and exit code of one run. */
    record Result(int exitCode, String output) {
    }

    static Tool require(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return new Tool(candidate);
            }
        }
        return fail("'%s' is not on the PATH: install it (apt-get install %s; .ci/run does)", name, debianPackage);
    }

    Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail("%s did not finish within 60 s", command);
        }
        return new Result(process.exitValue(), output);
    }

    Process start(Path workingDir, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }
}

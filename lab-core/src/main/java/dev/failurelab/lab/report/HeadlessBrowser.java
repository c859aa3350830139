package dev.failurelab.lab.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Takes a screenshot of a report in a real headless Chromium ({@code chromium} or
 * {@code chromium-browser} on the PATH): the check that a report renders, and the README's picture.
 */
public final class HeadlessBrowser {

    private final Path binary;

    private HeadlessBrowser(Path binary) {
        this.binary = binary;
    }

    /** The Chromium on the PATH, if any. */
    public static Optional<HeadlessBrowser> find() {
        for (String name : dev.failurelab.lab.infra.ExternalTool.listing("chromium").names()) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessBrowser(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Renders {@code html} in a {@code width}×{@code height} window and writes a PNG to {@code png}.
     *
     * @throws IOException if Chromium fails or writes nothing
     */
    public void screenshot(Path html, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), html.toAbsolutePath().toUri().toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish within 60 s");
        }
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot (exit " + process.exitValue() + "): " + output);
        }
    }
}

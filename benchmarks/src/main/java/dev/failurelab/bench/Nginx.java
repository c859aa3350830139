package dev.failurelab.bench;

import dev.failurelab.lab.infra.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * nginx (the Debian package) in the foreground with a config of its own in a work folder, on
 * loopback: a static answer on one port and, when given an upstream, a plain reverse proxy to it
 * on another — HTTP/1.1 with a pool of kept-alive upstream connections, access log off, the way a
 * production reverse proxy is set up. Stopped on {@link #close}.
 */
final class Nginx implements AutoCloseable {

    /** The static answer: the same bytes a bottom chain-service answers {@code /api/chain} with. */
    static final String STATIC_BODY = "{\"hops\":[{\"role\":\"bottom\",\"attempts\":0}]}";
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final ServerProcess process;
    private final String version;
    private final String workers;

    private Nginx(ServerProcess process, String version, String workers) {
        this.process = process;
        this.version = version;
        this.workers = workers;
    }

    /**
     * Starts nginx: a static answer on {@code staticPort}; a reverse proxy to {@code upstream}
     * on {@code proxyPort} unless {@code upstream} is null. {@code workers} is a number or
     * {@code auto} (one per core).
     */
    static Nginx start(Path workDir, String workers, int staticPort, int proxyPort, URI upstream) {
        ExternalTool nginx = ExternalTool.require("nginx");
        Path dir = workDir.resolve("nginx");
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("nginx.conf"), config(dir, workers, staticPort, proxyPort, upstream),
                    StandardCharsets.UTF_8);
            String version = nginx.run(dir, "-v").output().trim().replaceFirst("^nginx version: ", "");
            ExternalTool.Result test = nginx.run(dir, "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                    "-e", dir.resolve("logs/error.log").toString());
            if (test.exitCode() != 0) {
                throw new IllegalStateException("nginx refused its config:\n" + test.output());
            }
            Process process = nginx.start(dir, dir.resolve("logs/console.log"), "-p", dir.toString(), "-c",
                    dir.resolve("nginx.conf").toString(), "-e", dir.resolve("logs/error.log").toString());
            Path errors = dir.resolve("logs/error.log");
            return new Nginx(ServerProcess.await("nginx", process, URI.create("http://127.0.0.1:" + staticPort + "/"),
                    START_LIMIT, () -> read(errors)), version, workers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting nginx", e);
        }
    }

    static String config(Path dir, String workers, int staticPort, int proxyPort, URI upstream) {
        StringBuilder conf = new StringBuilder();
        conf.append("# written by ./bench: nginx as a plain reverse proxy, the reference for the fault proxy\n")
                .append("daemon off;\nmaster_process on;\nworker_processes ").append(workers).append(";\n")
                .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(dir.resolve("logs/error.log")).append(" warn;\n")
                .append("events { worker_connections 8192; }\n")
                .append("http {\n")
                .append("  access_log off;\n")
                .append("  keepalive_requests 1000000;\n");
        for (String temp : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            conf.append("  ").append(temp).append("_temp_path ").append(dir.resolve("tmp-" + temp)).append(";\n");
        }
        conf.append("  server {\n    listen 127.0.0.1:").append(staticPort).append(";\n")
                .append("    location / { default_type application/json; return 200 '").append(STATIC_BODY)
                .append("'; }\n  }\n");
        if (upstream != null) {
            conf.append("  upstream chain {\n    server ").append(upstream.getHost()).append(':')
                    .append(upstream.getPort()).append(";\n    keepalive 256;\n    keepalive_requests 1000000;\n  }\n")
                    .append("  server {\n    listen 127.0.0.1:").append(proxyPort).append(";\n")
                    .append("    location / {\n      proxy_pass http://chain;\n      proxy_http_version 1.1;\n")
                    .append("      proxy_set_header Connection \"\";\n      proxy_buffering on;\n    }\n  }\n");
        }
        return conf.append("}\n").toString();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no error log)";
        } catch (IOException e) {
            return "(error log unreadable: " + e.getMessage() + ")";
        }
    }

    /** e.g. {@code nginx/1.22.1, 2 workers}. */
    String describe() {
        return version + ", worker_processes " + workers;
    }

    @Override
    public void close() {
        process.close();
    }
}

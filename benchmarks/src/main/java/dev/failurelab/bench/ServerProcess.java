package dev.failurelab.bench;

import dev.failurelab.contract.AdminHttp;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A server a benchmark started in its own process: ready once a URL answers 200, stopped with
 * SIGTERM (then a kill) on {@link #close}. One home for the start-wait-stop of nginx and the
 * benchmark's JVMs.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Waits until {@code ready} answers 200; if the process dies or {@code limit} passes first,
     * stops it and fails with {@code diagnosis} (its log).
     */
    static ServerProcess await(String name, Process process, URI ready, Duration limit, Supplier<String> diagnosis) {
        ServerProcess server = new ServerProcess(name, process);
        AdminHttp http = new AdminHttp();
        long deadline = System.nanoTime() + limit.toNanos();
        while (http.status(ready, Duration.ofSeconds(1)) != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(name + " did not start (" + ready + " never answered 200):\n"
                        + diagnosis.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                server.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted starting " + name, e);
            }
        }
        return server;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: Spring's shutdown hook, nginx's fast shutdown
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

package dev.failurelab.bench;

import dev.failurelab.chain.ChainServiceApplication;
import dev.failurelab.fault.FaultInjectorApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench serve upstream|proxy}: one server of a benchmark, run in its own JVM by
 * {@link ChildJvm} so that it does not share a heap, a JIT or a GC with the load generator —
 * as nginx does not. Runs until the process is stopped.
 */
@Command(name = "serve", hidden = true, description = "run one benchmark server in this JVM (used by the benchmarks)")
final class ServeCommand implements Callable<Integer> {

    /** The two Java servers a benchmark starts. */
    enum Server {
        /** A chain-service as the bottom, with no work and no capacity limit: an echo-sized JSON answer. */
        upstream,
        /** The fault injector with one proxy, {@code bench}, and no fault. */
        proxy
    }

    /** The proxy's name in the injector. */
    static final String PROXY_NAME = "bench";

    @Parameters(index = "0", description = "upstream or proxy")
    Server server;

    @Option(names = "--port", required = true, description = "port to serve on (the proxy's listen port)")
    int port;

    @Option(names = "--control", description = "the injector's control API port (proxy only)")
    int control;

    @Option(names = "--upstream", description = "the proxy's upstream URL (proxy only)")
    String upstream;

    @Override
    public Integer call() throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--logging.level.root=warn", "--spring.main.log-startup-info=false",
                "--server.address=127.0.0.1"));
        if (server == Server.upstream) {
            args.addAll(List.of("--server.port=" + port, "--chain.role=bottom",
                    "--chain.capacity.service-time=0ms", "--chain.capacity.max-concurrency=10000",
                    "--chain.capacity.queue-capacity=0", "--server.tomcat.accept-count=1024",
                    // like nginx's keepalive_requests: a client keeps its connection (Tomcat's default closes it after 100)
                    "--server.tomcat.max-keep-alive-requests=-1"));
            ChainServiceApplication.builder().run(args.toArray(String[]::new));
        } else {
            if (upstream == null || control == 0) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "serve proxy needs --control and --upstream");
            }
            String hostPort = upstream.replaceFirst("^http://", "").replaceFirst("/.*$", "");
            args.addAll(List.of("--server.port=" + control,
                    "--fault-injector.allowed-upstreams[0]=" + hostPort,
                    "--fault-injector.proxies[0].name=" + PROXY_NAME,
                    "--fault-injector.proxies[0].listen=" + port,
                    "--fault-injector.proxies[0].upstream=" + upstream));
            FaultInjectorApplication.builder().run(args.toArray(String[]::new));
        }
        // Serve until stopped: SIGTERM runs Spring's shutdown hook, which closes the server.
        Thread.currentThread().join();
        return 0;
    }
}

package dev.failurelab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** The open-loop generator keeps its rate: 1,000 req/s for 20 s, within 2%. Prints the figures. */
class LoadGeneratorAccuracyIT {

    @Test
    void at1000PerSecondFor20s_theAchievedRateIsWithin2Percent() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator();
        try {
            URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            LoadResult result = generator.run(LoadSpec.of(target, 1000, Duration.ofSeconds(20)));

            System.out.printf("load generator accuracy: target 1000/s, achieved %.1f/s, sent %d, max send lag %.1f ms, %s%n",
                    result.achievedRate(), result.sent(), result.maxSendLagMicros() / 1000.0, result.summary());
            assertThat(result.achievedRate()).as("achieved rate").isCloseTo(1000.0, Percentage.withPercentage(2));
            assertThat(result.sent() + result.dropped()).as("arrivals scheduled in 20 s").isEqualTo(20_000L);
            assertThat(result.sent()).as("requests sent in 20 s").isCloseTo(20_000L, Percentage.withPercentage(2));
            // How fast this little test server answers is not the subject: only the send schedule is.
        } finally {
            generator.close();
            server.stop(0);
        }
    }
}

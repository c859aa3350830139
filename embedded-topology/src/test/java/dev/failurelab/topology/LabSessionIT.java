package dev.failurelab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabResult;
import dev.failurelab.lab.LabRun;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Stopping a run from another thread (Ctrl-C's shutdown hook) stops the experiment before the
 * clean-up: an experiment that keeps injecting faults and switching policies, even one that
 * ignores interrupts, cannot leave either behind.
 */
class LabSessionIT {

    /** Injects a fault and switches the policy, again and again, ignoring interrupts (even in its calls). */
    private static final class StubbornLab implements Lab {
        final AtomicReference<Throwable> stoppedBy = new AtomicReference<>();

        @Override
        public String name() {
            return "stubborn";
        }

        @Override
        public String title() {
            return "Stubborn";
        }

        @Override
        public String description() {
            return "keeps injecting";
        }

        @Override
        public String defaults() {
            return "/hop-latency.properties";
        }

        @Override
        public Topology topology() {
            return Topology.chain().without("cache");
        }

        @Override
        public Map<Defence, List<String>> defences() {
            return Map.of(Defences.RETRY_POLICY, List.of("edge", "middle"));
        }

        @Override
        public LabResult run(LabRun run) {
            try {
                while (true) {
                    try {
                        run.switchDefence(Defences.RETRY_POLICY, List.of("edge", "middle"), "naive");
                        run.faults().injectErrors("bottom", 0.5, 503, Duration.ofMinutes(5));
                    } catch (IllegalStateException e) {
                        if (!String.valueOf(e.getMessage()).startsWith("interrupted")) {
                            throw e;
                        }
                        // stubborn: an interrupted call is tried again
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ignored) {
                        // stubborn: goes on
                    }
                }
            } catch (RuntimeException e) {
                stoppedBy.set(e);
                throw e;
            }
        }
    }

    @Test
    void stop_endsTheExperimentFirst_soNothingItDoesOutlivesTheCleanUp() throws Exception {
        StubbornLab lab = new StubbornLab();
        Topology shape = lab.topology().withFreePorts();
        try (EmbeddedTopology topology = EmbeddedTopology.builder(shape).start()) {
            LabSession session = LabSession.attach(lab, LabDefaults.load("/hop-latency.properties"),
                    topology.endpoints(), line -> {
                    });
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.run(line -> {
                    });
                } catch (InterruptedException e) {
                    return e;
                }
            });
            AdminHttp http = new AdminHttp();
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> !http.send("GET", topology.controlUrl().resolve("/faults"), null).equals("[]"));

            session.stop(Duration.ofSeconds(5));

            assertThat(lab.stoppedBy.get()).as("the experiment was refused its next fault or switch")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("the run is stopping");
            Thread.sleep(500); // anything still in flight would land now
            assertThat(http.send("GET", topology.controlUrl().resolve("/faults"), null)).isEqualTo("[]");
            for (String hop : List.of("edge", "middle")) {
                assertThat(http.send("GET", topology.management(hop).resolve("/admin/retry-policy"), null)).as(hop)
                        .contains("\"policy\":\"none\"");
            }
            running.handle((result, error) -> null).get(5, TimeUnit.SECONDS);
        }
    }
}

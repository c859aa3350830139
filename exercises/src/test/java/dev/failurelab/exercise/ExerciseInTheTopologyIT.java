package dev.failurelab.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.contract.AdminHttp;
import dev.failurelab.contract.AdminPaths;
import dev.failurelab.contract.DefenceClient;
import dev.failurelab.contract.Defences;
import dev.failurelab.exercise.cascade.MyAdaptiveThrottle;
import dev.failurelab.exercise.queue.MyWaitLimit;
import dev.failurelab.exercise.retrystorm.MyRetryBudget;
import dev.failurelab.exercise.stampede.MyRecomputeLock;
import dev.failurelab.lab.topology.Topology;
import dev.failurelab.topology.EmbeddedTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lab up --exercise retry-storm}: the edge and the middle run the participant's retry
 * budget, and {@code ./apply-budget.sh} (the budget policy) puts it in force.
 * {@code ./lab up --exercise stampede}: both cache replicas take the participant's recompute lock,
 * which {@code ./apply-lock.sh} (the lock strategy) puts in force. {@code ./lab up --exercise cascade}:
 * the middle takes the participant's adaptive throttle, which {@code apply-throttle.sh} switches on.
 * {@code ./lab up --exercise queue-overload}: the bottom takes the participant's CoDel, which
 * {@code apply-codel.sh} puts in force.
 */
class ExerciseInTheTopologyIT {

    @Test
    void theRetryStormExercise_runsTheParticipantsBudgetOnTheEdgeAndTheMiddle() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts());
        Exercises.properties("retry-storm").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            new DefenceClient().switchAll(List.of(topology.management("edge"), topology.management("middle")),
                    Defences.RETRY_POLICY, "budget");
            for (String hop : List.of("edge", "middle")) {
                assertThat(new AdminHttp().send("GET", topology.management(hop).resolve("/admin/retry-policy"), null))
                        .as(hop).contains("\"policy\":\"budget\"",
                                "\"budgetImplementation\":\"" + MyRetryBudget.class.getName() + "\"");
            }
            assertThat(new AdminHttp().send("GET", topology.url("edge").resolve("/api/chain"), null))
                    .contains("\"role\":\"bottom\"");
        }
    }

    @Test
    void theStampedeExercise_runsTheParticipantsLockOnBothReplicas() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.chain().withFreePorts()).forTests();
        Exercises.properties("stampede").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            List<String> replicas = List.of("bottom", "replica");
            new DefenceClient().switchAll(replicas.stream().map(topology::management).toList(), Defences.CACHE_STRATEGY,
                    "lock");
            for (String replica : replicas) {
                assertThat(new AdminHttp().send("GET", topology.management(replica).resolve("/admin/cache-strategy"),
                        null)).as(replica).contains("\"strategy\":\"lock\"",
                        "\"lockImplementation\":\"" + MyRecomputeLock.class.getName() + "\"");
                assertThat(new AdminHttp().send("GET", topology.url(replica).resolve(AdminPaths.HOT_KEY), null))
                        .as(replica + " answers the hot key under the lock strategy").contains("\"products\"");
            }
        }
    }

    @Test
    void theCascadeExercise_runsTheParticipantsThrottleOnTheMiddle() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts());
        Exercises.properties("cascade").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            new DefenceClient().switchAll(List.of(topology.management("middle")), Defences.ADAPTIVE_THROTTLE, "on");
            assertThat(new AdminHttp().send("GET", topology.management("middle").resolve("/admin/adaptive-throttle"),
                    null)).contains("\"throttle\":\"on\"",
                    "\"throttleImplementation\":\"" + MyAdaptiveThrottle.class.getName() + "\"");
            assertThat(new AdminHttp().send("GET", topology.management("edge").resolve("/admin/adaptive-throttle"),
                    null)).as("the edge keeps the project's").contains("\"throttleImplementation\":\"reference\"");
            assertThat(new AdminHttp().send("GET", topology.url("edge").resolve("/api/chain"), null))
                    .contains("\"role\":\"bottom\"");
        }
    }

    @Test
    void theQueueOverloadExercise_runsTheParticipantsCodelOnTheBottom() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.chain().without("cache").withFreePorts());
        Exercises.properties("queue-overload").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            new DefenceClient().switchAll(List.of(topology.management("bottom")), Defences.QUEUE_DISCIPLINE, "codel");
            assertThat(new AdminHttp().send("GET", topology.management("bottom").resolve("/admin/queue-discipline"),
                    null)).contains("\"discipline\":\"codel\"",
                    "\"codelImplementation\":\"" + MyWaitLimit.class.getName() + "\"");
            assertThat(new AdminHttp().send("GET", topology.url("bottom").resolve("/api/chain"), null))
                    .contains("\"role\":\"bottom\"");
        }
    }

    @Test
    void theDnsExercise_runsTheParticipantsStalePolicyInTheCallersResolvers() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.load("dns").withFreePorts());
        Exercises.properties("dns").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            List<java.net.URI> callers = List.of(topology.management("edge"), topology.management("middle"));
            new DefenceClient().switchAll(callers, Defences.SERVE_STALE, "refresh");
            for (java.net.URI caller : callers) {
                assertThat(new AdminHttp().send("GET", caller.resolve("/admin/serve-stale"), null)).contains(
                        "\"mode\":\"refresh\"", "\"stalePolicy\":\"" + dev.failurelab.exercise.dns.MyStalePolicy.class
                                .getName() + "\"");
            }
            assertThat(new AdminHttp().send("GET", topology.url("edge").resolve("/api/chain"), null))
                    .contains("\"role\":\"edge\"");
            // ./lab up lists the lab's DNS servers: their ports, zone and records.
            assertThat(new AdminHttp().send("GET", topology.urls().get("injector DNS servers  /dns"), null))
                    .contains("\"zone\":\"failure-lab.test\"", "\"primary\":8053", "bottom.failure-lab.test.");
        }
    }

    @Test
    void theSplitBrainExercise_runsTheParticipantsQuorumInEveryStoreNode() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.load("split-brain").withFreePorts());
        Exercises.properties("split-brain").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            for (java.net.URI node : topology.endpoints().managements("store")) {
                assertThat(new AdminHttp().send("GET", node.resolve("/admin/leadership"), null))
                        .contains("\"quorum\":\"" + dev.failurelab.exercise.splitbrain.MyWriteQuorum.class.getName() + "\"");
            }
        }
    }

    @Test
    void theServiceDiscoveryExercise_runsTheParticipantsHealthPolicyInTheMiddle() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.load("service-discovery").withFreePorts());
        Exercises.properties("service-discovery").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            new DefenceClient().switchAll(List.of(topology.management("middle")), Defences.HEALTH_CHECKS, "hysteresis");
            assertThat(new AdminHttp().send("GET", topology.management("middle").resolve("/admin/health-checks"), null))
                    .contains("\"mode\":\"hysteresis\"", "\"healthPolicy\":\""
                            + dev.failurelab.exercise.discovery.MyHealthPolicy.class.getName() + "\"");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    new AdminHttp().send("GET", topology.url("middle").resolve("/api/chain"), null))
                    .contains("\"role\":\"middle\""));
        }
    }

    @Test
    void theHotPartitionExercise_runsTheParticipantsBoundInTheRouter() {
        EmbeddedTopology.Builder builder = EmbeddedTopology.builder(Topology.load("hot-partition").withFreePorts());
        Exercises.properties("hot-partition").forEach((app, values) -> values.forEach((key, value) ->
                builder.property(app, key, value)));
        try (EmbeddedTopology topology = builder.start()) {
            new DefenceClient().switchAll(List.of(topology.management("router")), Defences.PARTITION_ROUTING,
                    "bounded-load");
            assertThat(new AdminHttp().send("GET", topology.management("router").resolve("/admin/partition-routing"),
                    null)).contains("\"routing\":\"bounded-load\"",
                    "\"boundImplementation\":\"" + dev.failurelab.exercise.partition.MyLoadBound.class.getName() + "\"");
            assertThat(new AdminHttp().send("GET", topology.url("router").resolve("/api/kv/k1"), null))
                    .contains("\"source\":\"shard\"");
        }
    }
}

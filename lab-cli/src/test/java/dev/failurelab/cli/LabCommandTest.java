package dev.failurelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabCommandTest {


    private final LabCli cli = new LabCli();

    @Test
    void noCommand_isAUsageError() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.err.toString()).contains("a command is required", "Usage: lab");
    }

    @Test
    void unknownCommand_isAUsageError() {
        assertThat(cli.run("explode")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("Unmatched argument at index 0: 'explode'");
    }

    @Test
    void upHelp_namesTheEndpointsWithTheirDocumentedPorts() {
        assertThat(cli.run("up", "--help")).isZero();
        assertThat(cli.out.toString()).contains("--port", "edge=8080", "middle-proxy=8081", "middle=8082",
                "bottom-proxy=8083", "bottom=8084", "replica=8085", "injector=8474", "--no-cache");
    }

    @Test
    void upHelp_portsAreTheChainTopologys() {
        // The help text and the topology's data must not drift apart.
        dev.failurelab.lab.topology.Topology.chain().ports().forEach((name, port) -> {
            assertThat(cli.run("up", "--help")).isZero();
            assertThat(cli.out.toString()).contains(name + "=" + port);
        });
    }

    @Test
    void upWithABadPort_isAUsageError_namingTheEndpoint() {
        assertThat(cli.run("up", "--port", "edge=eighty")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--port edge must be a port");
        assertThat(cli.run("up", "--port", "edge")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--port takes NAME=PORT");
        assertThat(cli.run("up", "--port", "kitchen=9000")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown endpoint 'kitchen'", "edge, edge-management, middle-proxy");
    }

    @Test
    void upWithAPortOutOfRange_orTwoEqualPorts_isAUsageError() {
        assertThat(cli.run("up", "--port", "bottom=70000")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("bottom must be a port between 1 and 65535");
        assertThat(cli.run("up", "--port", "edge=8084")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("every port must be different");
    }

    @Test
    void upWithABindThatIsNoAddress_isAUsageError() {
        LabCli cli = new LabCli();
        assertThat(cli.run("up", "--bind", "everywhere")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--bind takes an IP address", "'everywhere'");
    }

    @Test
    void upWithAnUnknownLab_orAMalformedSet_isAUsageError() {
        assertThat(cli.run("up", "--lab", "stampede-ish")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown lab 'stampede-ish'");
        assertThat(cli.run("up", "--set", "bottom-capacity=3")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--set takes APP:KEY=VALUE");
        assertThat(cli.run("up", "--set", "kitchen:a=b")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown app 'kitchen'");
    }

    @Test
    void runWithAnUnknownLab_orAnUnknownSetting_isAUsageError_beforeStartingAnything() {
        assertThat(cli.run("run", "chaos")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown lab 'chaos'");
        assertThat(cli.run("run", "retry-storm", "--set", "load.rat=80")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown setting 'load.rat'");
        assertThat(cli.run("run", "retry-storm", "--set", "phase.brownout=soon")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("phase.brownout");
        assertThat(cli.run("run", "stampede", "--set", "strategies=none,lokc")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("strategies: unknown strategy 'lokc'", "none,lock,xfetch,swr,lock+swr");
        assertThat(cli.run("run", "cascade", "--set", "grid.magnitudes=0.5,1.5")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("grid.magnitudes: each share must be in (0, 0.99]");
        assertThat(cli.run("run", "cascade", "--set", "map.rows=naive,everything")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("map.rows: unknown row 'everything'");
        assertThat(cli.run("run", "queue-overload", "--set", "rows=codel,lifo")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("rows: unknown queue discipline 'lifo'", "adaptive-lifo");
        assertThat(cli.run("run", "queue-overload", "--set", "phase.baseline-load=1.2")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("phase.baseline-load must be under 1");
        assertThat(cli.run("run", "queue-overload", "--set", "load.batch-share=2")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("load.batch-share must be between 0 and 1");
        assertThat(cli.run("run", "hot-partition", "--set", "rows=consistent,rendezvous")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("rows: unknown row 'rendezvous'", "bounded-load");
        assertThat(cli.run("run", "hot-partition", "--set", "load.celebrity-share=1.3")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("load.celebrity-share must be between 0 and 1");
        assertThat(cli.run("run", "hot-partition", "--set", "load.celebrity-key=a/b")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("load.celebrity-key must be");
        assertThat(cli.run("run", "hot-partition", "--set", "load.zipf-exponent=0")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("Zipf exponent");
    }

    @Test
    void run_dnsWithABadSetting_isAUsageError_namingIt() {
        assertThat(cli.run("run", "dns", "--set", "outage.fault=flood")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("outage.fault must be one of [servfail, nxdomain, drop]");
        assertThat(cli.run("run", "dns", "--set", "topology.edge.chain.dns.negative-ttl=1s")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("topology.middle.chain.dns.negative-ttl must be equal");
        assertThat(cli.run("run", "dns", "--set", "rows=outage,flood")).isEqualTo(2);
    }

    @Test
    void run_serviceDiscoveryWithABadSetting_isAUsageError_namingIt() {
        assertThat(cli.run("run", "service-discovery", "--set", "fault.heartbeat-instances=6")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("fault.heartbeat-instances must be between 1 and 5, got 6");
        assertThat(cli.run("run", "service-discovery", "--set", "fault.kill-instance=0")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("fault.kill-instance must be between 1 and 5, got 0");
        assertThat(cli.run("run", "service-discovery", "--set", "rows=kill,reboot")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("reboot");
    }

    @Test
    void run_splitBrainWithABadSetting_isAUsageError_namingIt() {
        assertThat(cli.run("run", "split-brain", "--set", "workload.clients=1")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("workload.clients must be between 2 and 64, got 1");
        assertThat(cli.run("run", "split-brain", "--set", "fault.pause=9s")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("fault.pause (9s) must be shorter than phase.pause (8s)");
        assertThat(cli.run("run", "split-brain", "--set", "rows=zombie,byzantine")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("byzantine");
    }

    @Test
    void restart_needsAnAppOfTheTopology_andSaysWhenNothingRunsThere() {
        LabCli none = new LabCli();
        assertThat(none.run("restart")).isEqualTo(2);
        assertThat(none.err.toString()).contains("Missing required parameter", "Usage: lab restart");
        LabCli injector = new LabCli();
        assertThat(injector.run("restart", "injector")).isEqualTo(2);
        assertThat(injector.err.toString()).contains("no app 'injector' to restart: all, or one of [edge, middle,");
        LabCli unknownLab = new LabCli();
        assertThat(unknownLab.run("restart", "all", "--lab", "nosuch")).isEqualTo(2);
        LabCli nothingThere = new LabCli();
        assertThat(nothingThere.run("restart", "all", "--target", "127.0.0.2")).isEqualTo(1);
        assertThat(nothingThere.err.toString()).contains("lab restart: ", "is the topology up on 127.0.0.2?");
    }

    @Test
    void list_namesEveryRegisteredLab_withItsTitle() {
        assertThat(cli.run("list")).isZero();
        assertThat(cli.out.toString()).contains("retry-storm", "Retry storm (lab 11.1)", "stampede",
                "Cache stampede (lab 11.2)", "cascade", "Cascading failure and metastability", "queue-overload",
                "Queue overload", "hot-partition", "Hot partitions", "dns", "DNS outage", "service-discovery",
                "Service-discovery failure", "split-brain", "Split brain");
    }

    @Test
    void run_withABadPortOrATopologySettingForNoApp_isAUsageError() {
        assertThat(cli.run("run", "retry-storm", "--port", "replica=9085")).isEqualTo(2);
        assertThat(cli.err.toString()).as("retry-storm's topology has no cache replica").contains("unknown endpoint 'replica'");
    }

    @Test
    void runStampede_withAnUnknownSetting_isAUsageError() {
        assertThat(cli.run("run", "stampede", "--set", "burst.request=5")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown setting 'burst.request'");
    }

    @Test
    void stampedeWithBadOptions_isAUsageError_namingTheOption() {
        assertThat(cli.run("stampede", "--requests", "0")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--requests must be between 1 and 20000");
        assertThat(cli.run("stampede", "--ports", "8084,http")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--ports");
        assertThat(cli.run("stampede", "--ports", "8084")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--ports and --admin-ports take 2 ports each: bottom,replica");
    }

    @Test
    void postmortem_needsARunOrACheck_andNamesWhatIsMissing() {
        assertThat(cli.run("postmortem")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("give either RUN or --check FILE");
        assertThat(cli.run("postmortem", "--check", "no-such-postmortem.md")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--check: no such file: no-such-postmortem.md");
        assertThat(cli.run("postmortem", "no-such-run")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("RUN: no such folder: no-such-run");
        assertThat(cli.run("postmortem", "target")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("is not a recorded lab run");
    }

    @Test
    void postmortemCheck_exits0ForTheCompletedExample_and1ForTheTemplate_namingTheGaps() {
        assertThat(cli.run("postmortem", "--check", "../post-incident-lab/examples/retry-storm-postmortem.md")).isZero();
        assertThat(cli.out.toString()).contains("is complete");
        assertThat(cli.run("postmortem", "--check", "../runbooks/POSTMORTEM_TEMPLATE.md")).isEqualTo(1);
        assertThat(cli.out.toString()).contains("GAP Action items: 0 with an owner");
    }

    @Test
    void loadWithBadOptions_isAUsageError_namingTheOption() {
        assertThat(cli.run("load", "--rate", "0")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("rate must be greater than 0");
        assertThat(cli.run("load", "--duration", "forever")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--duration");
        assertThat(cli.run("load", "--closed-loop", "--concurrency", "0")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--concurrency must be between 1 and 1000, got 0");
        assertThat(cli.run("load", "--batch-share", "1.5")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--batch-share must be between 0 and 1, got 1.5");
        assertThat(cli.run("load", "--closed-loop", "--deadline")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--deadline, --batch-share and --keys go with open-loop load");
        assertThat(cli.run("load", "--keys", "0")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("keys must be at least 1, got 0");
        assertThat(cli.run("load", "--keys", "100", "--celebrity-share", "2")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("the celebrity share must be between 0 and 1");
        assertThat(cli.run("load", "--keys", "100", "--closed-loop")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--keys go with open-loop load");
    }

    @Test
    void loadWithKeys_readsAndIncrementsZipfKeys_andTheCelebrity() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            assertThat(cli.run("load", "--rate", "200", "--duration", "1s", "--quiet", "--keys", "1000",
                    "--celebrity-share", "0.5", "--write-share", "0.5", "--url", "http://127.0.0.1:"
                            + server.getAddress().getPort())).isZero();
        } finally {
            server.stop(0);
        }
        assertThat(cli.out.toString()).contains("keys k1..k1000 Zipf(0.99); 50% to 'celebrity'; 50% increments");
        List<String> counted = seen.subList(1, seen.size()); // the primer first, a GET of the target
        assertThat(counted).hasSize(200).allMatch(r -> r.matches("(GET /api/kv|POST /api/counter)/(k\\d+|celebrity)"));
        assertThat(counted.stream().filter(r -> r.endsWith("/celebrity")).count()).isBetween(70L, 130L);
        assertThat(counted.stream().filter(r -> r.startsWith("POST")).count()).isBetween(70L, 130L);
    }

    @Test
    void loadWithDeadlineAndBatchShare_sendsBothHeaders() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("X-Priority") + " "
                    + (exchange.getRequestHeaders().getFirst("X-Deadline") != null));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            assertThat(cli.run("load", "--rate", "20", "--duration", "1s", "--quiet", "--deadline", "--batch-share",
                    "0.25", "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/")).isZero();
        } finally {
            server.stop(0);
        }
        assertThat(cli.out.toString()).contains("deadline sent, 25% batch");
        List<String> counted = seen.subList(1, seen.size()); // the primer first, with none
        assertThat(counted).hasSize(20);
        assertThat(counted.stream().filter("batch true"::equals).count()).isEqualTo(5);
        assertThat(counted.stream().filter("live true"::equals).count()).isEqualTo(15);
    }

    @Test
    void upWithAnUnknownExercise_isAUsageError() {
        assertThat(cli.run("up", "--exercise", "juggling")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--exercise: no exercise for 'juggling'");
    }

    @Test
    void useWithAnUnknownLab_orASettingThatIsNotLive_isAUsageError() {
        assertThat(cli.run("use", "nosuch")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("unknown lab 'nosuch'");
        assertThat(cli.run("use", "retry-storm", "--set", "topology.edge.chain.client.timeout=soon")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("topology.edge.chain.client.timeout");
        assertThat(cli.run("use", "default", "--set", "topology.edge.chain.client.timeout=1s")).isEqualTo(2);
        assertThat(cli.err.toString()).contains("--set needs a lab");
    }
}

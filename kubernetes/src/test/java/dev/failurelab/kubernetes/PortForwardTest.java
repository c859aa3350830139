package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubernetes/port-forward.sh} forwards, for a participant's namespace, every TCP port of every
 * Service of the stack (the chain, the fault injector, a lab's servers; not the databases), exactly
 * the ports the chart's Services have, on loopback; bad arguments print the usage and exit 2, no
 * kubectl or no cluster exit 1 saying so. (No cluster here: a kubectl that answers as one would.)
 */
class PortForwardTest {

    @TempDir
    static Path fake;

    private static ExternalTool.Result script(String... args) throws Exception {
        return script(Map.of(), args);
    }

    private static ExternalTool.Result script(Map<String, String> env, String... args) throws Exception {
        return ExternalTool.script(RenderedChart.ROOT, env, Duration.ofSeconds(20), "kubernetes/port-forward.sh", args);
    }

    /**
     * For every mode and lab: a kubectl that answers the listing with the chart's Services, as the API
     * server gives them back (every port with its protocol, TCP when the chart left it out), and the
     * commands the script prints: every TCP port of every Service but the databases, on loopback.
     */
    @Test
    void itForwardsEveryTcpPortOfEveryServiceOfTheStack_butTheDatabases_inEveryModeAndLab() throws Exception {
        for (Map<String, String> set : RenderedChart.everyModeAndLab()) {
            List<HasMetadata> chart = RenderedChart.render(null, set);
            StringBuilder services = new StringBuilder();
            Map<String, List<Integer>> expected = new LinkedHashMap<>();
            for (Service service : RenderedChart.of(chart, Service.class)) {
                String name = service.getMetadata().getName();
                List<Integer> tcp = service.getSpec().getPorts().stream()
                        .filter(p -> p.getProtocol() == null || p.getProtocol().equals("TCP")).map(ServicePort::getPort)
                        .toList();
                services.append(name).append(service.getSpec().getPorts().stream()
                        .map(p -> " " + p.getPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol()))
                        .collect(Collectors.joining())).append("\n");
                if (!List.of("redis", "postgres").contains(name)) {
                    expected.put(name, tcp);
                }
            }
            Path kubectl = fakeKubectl(services.toString());
            ExternalTool.Result printed = script(Map.of("KUBECTL", kubectl.toString()), "--print", "p07");
            assertThat(printed.exitCode()).as(set + ": " + printed.output()).isZero();
            assertThat(Files.readString(fake.resolve("args"))).as("kubectl asked for the participant's Services, TCP ports")
                    .startsWith("-n failure-lab-p07 get services -l app.kubernetes.io/part-of=failure-lab -o jsonpath=")
                    .contains("@.protocol==\"TCP\"");
            Map<String, List<Integer>> forwarded = new LinkedHashMap<>();
            for (String line : printed.output().strip().split("\n")) {
                assertThat(line).startsWith(kubectl + " -n failure-lab-p07 port-forward --address 127.0.0.1 svc/");
                String[] words = line.substring(line.indexOf("svc/") + 4).split(" ");
                forwarded.put(words[0], Arrays.stream(words).skip(1).map(Integer::valueOf).toList());
            }
            assertThat(forwarded).as(set + ": the chart's Services and their TCP ports")
                    .containsExactlyInAnyOrderEntriesOf(expected);
            assertThat(script(Map.of("KUBECTL", kubectl.toString()), "--print", "failure-lab-p07").output())
                    .as("a namespace, as it is").isEqualTo(printed.output());
        }
    }

    @Test
    void noKubectl_orNoCluster_saySo_andExit1() throws Exception {
        ExternalTool.Result missing = script(Map.of("KUBECTL", "no-such-kubectl"), "--print", "p07");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("no-such-kubectl is not on the PATH");
        Path failing = fake.resolve("failing-kubectl");
        Files.writeString(failing, "#!/usr/bin/env bash\necho 'The connection to the server was refused' >&2\nexit 1\n");
        failing.toFile().setExecutable(true);
        ExternalTool.Result refused = script(Map.of("KUBECTL", failing.toString()), "--print", "p07");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("cannot list the Services of failure-lab-p07");
    }

    /**
     * A kubectl that records its arguments and prints {@code services} ("name port/protocol ...") as
     * the script's jsonpath would have them printed: each name with its TCP ports.
     */
    private static Path fakeKubectl(String services) throws Exception {
        Files.writeString(fake.resolve("services"), services);
        Path kubectl = fake.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/usr/bin/env bash
                here="$(dirname "$0")"
                printf '%s ' "$@" | sed 's/ $//' > "$here/args"
                [[ "$*" == *"get services"* ]] || exit 3
                while read -r name ports; do
                  tcp=""
                  for port in $ports; do [[ "$port" == */TCP ]] && tcp+=" ${port%/TCP}"; done
                  printf '%s%s\\n' "$name" "$tcp"
                done < "$here/services"
                """);
        kubectl.toFile().setExecutable(true);
        return kubectl;
    }

    @Test
    void badArguments_printTheUsage_andExit2() throws Exception {
        for (String[] args : new String[][] {{}, {"--print"}, {"--print", "P_07"}, {"--nope", "p07"}, {"p07", "p08"}}) {
            ExternalTool.Result result = script(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.output()).contains("usage: kubernetes/port-forward.sh");
        }
    }
}

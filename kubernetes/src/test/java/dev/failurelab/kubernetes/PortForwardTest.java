package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kubernetes/port-forward.sh} forwards, for a participant's namespace, every port of every
 * Service the labs talk to (the chain and the fault injector), exactly the ports the chart's Services
 * have, on loopback; bad arguments print the usage and exit 2. (Its {@code --print}: no cluster here.)
 */
class PortForwardTest {

    private static ExternalTool.Result script(String... args) throws Exception {
        return ExternalTool.script(RenderedChart.ROOT, Map.of(), Duration.ofSeconds(20), "kubernetes/port-forward.sh",
                args);
    }

    @Test
    void itForwardsEveryPortOfTheChartsServices_butTheDatabases_inTheParticipantsNamespace() throws Exception {
        ExternalTool.Result printed = script("--print", "p07");
        assertThat(printed.exitCode()).as(printed.output()).isZero();
        Map<String, List<Integer>> forwarded = new LinkedHashMap<>();
        for (String line : printed.output().strip().split("\n")) {
            assertThat(line).startsWith("kubectl -n failure-lab-p07 port-forward --address 127.0.0.1 svc/");
            String[] words = line.substring(line.indexOf("svc/") + 4).split(" ");
            forwarded.put(words[0], Arrays.stream(words).skip(1).map(Integer::valueOf).toList());
        }
        List<HasMetadata> chart = RenderedChart.render(null);
        Map<String, List<Integer>> services = new LinkedHashMap<>();
        for (Service service : RenderedChart.of(chart, Service.class)) {
            if (!List.of("redis", "postgres").contains(service.getMetadata().getName())) {
                services.put(service.getMetadata().getName(), service.getSpec().getPorts().stream()
                        .map(ServicePort::getPort).toList());
            }
        }
        assertThat(forwarded).as("the chart's Services and their ports").containsExactlyInAnyOrderEntriesOf(services);
        assertThat(script("--print", "failure-lab-p07").output()).as("a namespace, as it is")
                .isEqualTo(printed.output());
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

package dev.failurelab.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failurelab.lab.infra.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command, {@code ./test}: the one CI runs, reading the one list of programs
 * the code reads, and on a machine without those programs (and no apt-get), a clear stop before
 * any build.
 */
class TestCommandIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path bin;

    @Test
    void withTheToolsMissingAndNoApt_itPrintsTheInstallLines_andExits2_beforeBuilding() throws Exception {
        // A PATH with only what the script itself needs: no apt-get, none of the listed tools.
        for (String command : List.of("bash", "dirname", "id", "java")) {
            Path real = List.of("/usr/bin", "/bin", Path.of(System.getProperty("java.home"), "bin").toString()).stream()
                    .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst().orElseThrow();
            Files.createSymbolicLink(bin.resolve(command), real);
        }
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("test").toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("test: the tests need programs that are not installed",
                "Debian/Ubuntu: sudo apt-get update && sudo apt-get install --no-install-recommends",
                "Homebrew:      brew install", "./mvnw test");
        for (ExternalTool.Listed tool : ExternalTool.listed()) {
            boolean elsewhere = tool.names().stream().anyMatch(name -> List.of("/usr/sbin", "/sbin", "/usr/local/sbin")
                    .stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, name))));
            if (!elsewhere) { // daemons in sbin are found without the PATH
                assertThat(output).as(tool.names().get(0)).contains(tool.names().get(0) + ": " + tool.purpose())
                        .contains(" " + tool.debianPackage()).contains("brew install " + tool.brewFormula());
            }
        }
        assertThat(output).as("no build started").doesNotContain("[INFO]", "Downloading", "BUILD");
    }

    @Test
    void ciRunsTheReadmesTestCommand_andTheReadmeHasTwoSetUpCommands() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher quickStart = Pattern.compile("## Quick start\\n.*?```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(quickStart.find()).isTrue();
        List<String> commands = quickStart.group(1).lines().map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty()).toList();
        assertThat(commands).as("the quick start's set-up commands").containsExactly("./lab run retry-storm", "./test");

        List<String> ci = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve(".ci/run"))) {
            String code = line.replaceAll("#.*", "").trim();
            if (!code.isEmpty()) {
                ci.add(code);
            }
        }
        assertThat(ci.get(ci.size() - 1)).as(".ci/run ends with the README's test command").isEqualTo("./test");
        assertThat(String.join("\n", ci)).as(".ci/run installs no test tool of its own: ./test does")
                .doesNotContain("prometheus", "chromium", "nginx", "wrk", "docker-compose");
    }

    @Test
    void theListIsWellFormed_andNamesEveryToolTheCodeRequires() {
        List<ExternalTool.Listed> listed = ExternalTool.listed();
        assertThat(listed).extracting(l -> l.names().get(0)).contains("promtool", "prometheus", "docker-compose",
                "chromium", "nginx", "wrk", "curl", "jq");
        assertThat(listed).allSatisfy(l -> assertThat(l.debianPackage()).isNotBlank());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExternalTool.require("kubectl"))
                .hasMessageContaining("not in /external-tools.tsv");
    }
}

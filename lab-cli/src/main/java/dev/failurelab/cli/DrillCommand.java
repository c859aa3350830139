package dev.failurelab.cli;

import dev.failurelab.contract.Errors;
import dev.failurelab.drill.Drill;
import dev.failurelab.drill.DrillControl;
import dev.failurelab.drill.DrillReport;
import dev.failurelab.drill.DrillResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab drill}: a hidden fault from the labs' catalogue, detected and mitigated with the runbooks, scored. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Run a chaos drill: a fault drawn from the labs' failure modes, hidden behind the usual load, on"
                + " its lab's topology with a real Prometheus and the workshop's alerts. Work from the alerts and the"
                + " runbooks, declare your diagnosis from another terminal, mitigate with the runbook's commands.",
                "  ./lab drill --participant alice            a hidden drill (Ctrl-C rolls back)",
                "  ./lab drill declare retry-storm            your diagnosis (another terminal)",
                "  ./lab drill --seed 7 --auto                the scripted participant follows the runbooks",
                "  ./lab drill experiment run experiments/retry-storm.json   a Chaos Toolkit experiment, in the lab"},
        subcommands = {DrillCommand.Declare.class, DrillCommand.Note.class, DrillCommand.Status.class,
                DrillCommand.Restart.class, DrillCommand.Experiment.class})
final class DrillCommand implements Callable<Integer> {

    @Option(names = "--seed", paramLabel = "N", description = "draws the fault, its severity and timing (default: random)")
    Long seed;

    @Option(names = "--mode", paramLabel = "MODE", split = ",",
            description = "draw only from these failure modes (comma-separated; default: the whole catalogue)")
    List<String> modes = new ArrayList<>();

    @Option(names = "--participant", paramLabel = "NAME", defaultValue = "${env:USER:-participant}",
            description = "your name on the scoreboard (default: ${DEFAULT-VALUE})")
    String participant;

    @Option(names = "--auto", description = "the scripted participant: it follows the runbooks (alerts, detection"
            + " queries, declaration, immediate actions) as written")
    boolean auto;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting of drill.properties; repeatable")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "lab-runs", description = "folder for the drill's files (default: ${DEFAULT-VALUE};"
            + " drills and the scoreboard in its drills/)")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        CommandLine commandLine = spec.commandLine();
        PrintWriter console = commandLine.getOut();
        if (participant == null || !participant.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new CommandLine.ParameterException(commandLine, "--participant: letters, digits, '.', '_' or '-',"
                    + " at most 40, got '" + participant + "'");
        }
        Drill drill;
        try {
            drill = new Drill(new Drill.Options(seed != null ? seed : new java.security.SecureRandom().nextInt(1_000_000),
                    modes, participant, auto, false, CliArgs.pairs(commandLine, "--set", "KEY=VALUE", overrides), root()),
                    line -> {
                        console.println(line);
                        console.flush();
                    });
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        Thread hook = new Thread(drill::stop, "drill-rollback");
        Runtime.getRuntime().addShutdownHook(hook);
        DrillResult result;
        try {
            result = drill.run();
        } catch (IllegalStateException e) {
            commandLine.getErr().println("lab drill: " + Errors.rootMessage(e));
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is rolling back
            }
        }
        Path folder = new DrillReport(out).write(result, drill.timeline());
        console.println();
        console.println("the fault was: " + result.failureMode() + " — " + result.injection().fault());
        console.println("outcome: " + result.outcome().words() + "; diagnosis " + (result.diagnosedRight() ? "right" : "wrong")
                + "; time to detect " + clock(result.timeToDetect()) + ", to mitigate " + clock(result.timeToMitigate())
                + "; budget burned " + result.budgetBurned() + " min at 1x; blunt actions " + result.bluntActions().size());
        console.println("score: " + result.score().total() + " of 100 (" + result.score() + ")");
        console.println("timeline: " + folder.resolve("timeline.html").toAbsolutePath().toUri());
        console.println("scoreboard: " + new DrillReport(out).folder().resolve("scoreboard.html").toAbsolutePath().toUri());
        console.flush();
        return result.outcome() == DrillResult.Outcome.MITIGATED && result.diagnosedRight() ? 0 : 1;
    }

    private static String clock(Duration duration) {
        return duration == null ? "-" : duration.toSeconds() + " s";
    }

    /** The project's folder: {@code LAB_ROOT} (./lab sets it), else the working folder or one above it. */
    static Path root() {
        String env = System.getenv("LAB_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("runbooks")) && Files.isDirectory(dir.resolve("observability"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project's folder (runbooks/, observability/): run ./lab"
                + " drill from it, or set LAB_ROOT");
    }

    /** What the subcommands share: where the running drill answers. */
    abstract static class Client {
        @Option(names = "--control", paramLabel = "URL", defaultValue = "http://127.0.0.1:8499",
                description = "the running drill's control API (default: ${DEFAULT-VALUE})")
        URI control;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        int call(String path, Map<String, String> body) {
            return call(path, body, Duration.ofSeconds(5));
        }

        int call(String path, Map<String, String> body, Duration timeout) {
            DrillControl.Answer answer;
            try {
                answer = DrillControl.call(control, path, body, timeout);
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("lab drill: " + e.getMessage());
                return 1;
            }
            if (answer.status() == 400) {
                throw new CommandLine.ParameterException(spec.commandLine(), answer.message());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(body == null ? answer.body().toPrettyString() : answer.message());
            out.flush();
            return answer.status() == 200 ? 0 : 1;
        }
    }

    @Command(name = "declare", mixinStandardHelpOptions = true,
            description = "Declare your diagnosis of the running drill: the failure mode (its runbook's name).")
    static final class Declare extends Client implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FAILURE-MODE", description = "e.g. retry-storm (./lab drill status lists them)")
        String failureMode;

        @Override
        public Integer call() {
            return call("/drill/declarations", Map.of("failureMode", failureMode));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true,
            description = "Put a line on the running drill's timeline: what you saw, what you did.")
    static final class Note extends Client implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TEXT")
        String text;

        @Override
        public Integer call() {
            return call("/drill/notes", Map.of("text", text));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The running drill: its phase, the time elapsed, the failure modes you may declare.")
    static final class Status extends Client implements Callable<Integer> {
        @Override
        public Integer call() {
            return call("/drill", null);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Restart the drill's services (every one, or an app's instances): a blunt action, scored as"
                    + " one. Each stops and starts again with its start-up settings: live changes are lost.")
    static final class Restart extends Client implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "APP", defaultValue = "all",
                description = "all (the default), or one app of the drill's topology (e.g. bottom)")
        String app;

        @Override
        public Integer call() {
            // It answers once every service is up again.
            return call("/drill/restarts", Map.of("app", app), Duration.ofMinutes(2));
        }
    }

    /** {@code ./lab drill experiment}: the drills as Chaos Toolkit experiment files. */
    @Command(name = "experiment", mixinStandardHelpOptions = true,
            description = "The catalogue's failure modes as Chaos Toolkit experiment files (steady-state hypothesis,"
                    + " method, rollbacks): write them, or run one in the lab as chaos run does.",
            subcommands = {ExperimentWrite.class, ExperimentRun.class})
    static final class Experiment implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: write or run");
        }
    }

    /** {@code ./lab drill experiment write}. */
    @Command(name = "write", mixinStandardHelpOptions = true,
            description = "Write experiments/<failure-mode>.json for each failure mode of the catalogue (the middle of"
                    + " each drill's ranges), checked by Chaos Toolkit's rules.")
    static final class ExperimentWrite extends WithSettings implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", description = "the folder (default: the project's experiments/)")
        Path out;

        @Override
        public Integer call() throws IOException {
            CommandLine commandLine = spec.commandLine();
            Drill drill = drill();
            Path folder = out != null ? out : root().resolve(dev.failurelab.drill.ChaosExperiment.FOLDER);
            Files.createDirectories(folder);
            for (Map.Entry<String, tools.jackson.databind.node.ObjectNode> experiment : dev.failurelab.drill
                    .ChaosExperiment.all(drill.catalogue(), drill.settings()).entrySet()) {
                Path file = folder.resolve(experiment.getKey() + ".json");
                Files.writeString(file, dev.failurelab.drill.ChaosExperiment.text(experiment.getValue()));
                commandLine.getOut().println("wrote " + file);
            }
            commandLine.getOut().flush();
            return 0;
        }
    }

    /** {@code ./lab drill experiment run FILE}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a Chaos Toolkit experiment in the lab of the failure mode its tags name, behind that"
                    + " lab's usual load, with the lab's Prometheus: the steady state, the method, the steady state"
                    + " again, the rollbacks (always). Writes its journal.json; exits 0 when the steady state held,"
                    + " 1 when it deviated or could not be checked."})
    static final class ExperimentRun extends WithSettings implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "an experiment, e.g. experiments/retry-storm.json")
        Path file;

        @Option(names = "--var", paramLabel = "KEY=VALUE",
                description = "a configuration value of the experiment (as chaos run --var), e.g. fault_ttl=30s")
        List<String> vars = new ArrayList<>();

        @Option(names = "--journal", paramLabel = "FILE", defaultValue = "journal.json",
                description = "where the journal goes (default: ${DEFAULT-VALUE})")
        Path journal;

        @Override
        public Integer call() throws IOException, InterruptedException {
            CommandLine commandLine = spec.commandLine();
            tools.jackson.databind.JsonNode experiment;
            try {
                experiment = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(file));
            } catch (IOException | RuntimeException e) {
                throw new CommandLine.ParameterException(commandLine, "FILE: cannot read " + file + " as JSON: "
                        + Errors.rootMessage(e));
            }
            Drill drill = drill();
            PrintWriter console = commandLine.getOut();
            tools.jackson.databind.node.ObjectNode result;
            try {
                result = drill.runExperiment(experiment, CliArgs.pairs(commandLine, "--var", "KEY=VALUE", vars));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "FILE: " + e.getMessage());
            } catch (IllegalStateException e) {
                commandLine.getErr().println("lab drill experiment: " + Errors.rootMessage(e));
                return 1;
            }
            Files.writeString(journal, dev.failurelab.drill.ChaosExperiment.text(result));
            console.println("status: " + result.path("status").asString() + "; deviated: "
                    + result.path("deviated").asBoolean() + "; journal: " + journal.toAbsolutePath());
            console.flush();
            return "completed".equals(result.path("status").asString()) && !result.path("deviated").asBoolean() ? 0 : 1;
        }
    }

    /** What the experiment subcommands share: the drill's settings, and the drill made of them. */
    abstract static class WithSettings {
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting of drill.properties")
        List<String> overrides = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Drill drill() {
            CommandLine commandLine = spec.commandLine();
            try {
                return new Drill(new Drill.Options(1, List.of(), "experiment", false, false,
                        CliArgs.pairs(commandLine, "--set", "KEY=VALUE", overrides), root()), line -> {
                            commandLine.getOut().println(line);
                            commandLine.getOut().flush();
                        });
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
        }
    }
}

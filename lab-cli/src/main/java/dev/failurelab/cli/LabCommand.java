package dev.failurelab.cli;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ./lab} command. */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "Failure Lab 0.1.0",
        description = "Reproduce production failures, watch their telemetry, prove the defence.",
        subcommands = {ListCommand.class, UpCommand.class, UseCommand.class, RestartCommand.class, LoadCommand.class,
                RunCommand.class, StampedeCommand.class, PostmortemCommand.class, DrillCommand.class})
public final class LabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        quietServers();
        System.exit(new CommandLine(new LabCommand()).execute(args));
    }

    /**
     * The embedded servers start before any Spring app configures logging: keep their start-up
     * chatter (initdb, binaries found, the server chosen) off the console. The commands print what
     * the user needs, and PostgreSQL's own output goes to a log beside its data.
     */
    private static void quietServers() {
        LoggingSystem logging = LoggingSystem.get(LabCommand.class.getClassLoader());
        logging.setLogLevel("io.zonky", LogLevel.WARN);
        logging.setLogLevel("dev.failurelab.lab.infra", LogLevel.WARN);
    }
}

package dev.failurelab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./lab} command. */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "Failure Lab 0.1.0",
        description = "Reproduce production failures, watch their telemetry, prove the defence.",
        subcommands = {ListCommand.class, UpCommand.class, UseCommand.class, LoadCommand.class, RunCommand.class,
                StampedeCommand.class,
                PostmortemCommand.class})
public final class LabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LabCommand()).execute(args));
    }
}

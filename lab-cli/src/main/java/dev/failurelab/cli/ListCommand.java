package dev.failurelab.cli;

import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./lab list}: every lab on the classpath, from the registry. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the labs: name, title, what it shows.")
final class ListCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Lab lab : LabRegistry.load().all()) {
            out.printf("%-14s %s: %s%n", lab.name(), lab.title(), lab.description());
        }
        out.println("run one: ./lab run NAME   (settings: ./lab run NAME --set key=value; its defaults file names them)");
        out.flush();
        return 0;
    }
}

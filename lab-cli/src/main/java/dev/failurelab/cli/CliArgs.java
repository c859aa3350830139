package dev.failurelab.cli;

import dev.failurelab.lab.Lab;
import dev.failurelab.lab.LabRegistry;
import dev.failurelab.lab.experiment.LabDefaults;
import dev.failurelab.lab.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The command line's shared readings: a lab by name, {@code KEY=VALUE} pairs, {@code NAME=PORT} moves. */
final class CliArgs {

    private CliArgs() {
    }

    /** The lab named {@code name} in the registry, or a usage error listing them. */
    static Lab lab(CommandLine commandLine, LabRegistry registry, String name) {
        try {
            return registry.get(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    /** The lab's defaults with {@code --set KEY=VALUE} overrides, or a usage error naming the setting. */
    static LabDefaults settings(CommandLine commandLine, Lab lab, List<String> overrides) {
        try {
            LabDefaults settings = LabDefaults.load(lab.defaults()).with(pairs(commandLine, "--set", "KEY=VALUE",
                    overrides));
            lab.checkSettings(settings);
            return settings;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    /** {@code --lab LAB}'s topology, or the chain's when none is given; a usage error for an unknown lab. */
    static Topology topology(CommandLine commandLine, String lab) {
        return lab == null ? Topology.chain() : lab(commandLine, LabRegistry.load(), lab).topology();
    }

    /** {@code --port NAME=PORT} moves applied to {@code topology}, or a usage error naming the endpoint. */
    static Topology ports(CommandLine commandLine, Topology topology, List<String> moves) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        pairs(commandLine, "--port", "NAME=PORT", moves).forEach((name, port) -> {
            try {
                ports.put(name, Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(commandLine, "--port " + name + " must be a port between 1"
                        + " and 65535, got '" + port + "'");
            }
        });
        try {
            return topology.withPorts(ports);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--port: " + e.getMessage());
        }
    }

    /** {@code KEY=VALUE} pairs in order, or a usage error quoting the malformed one. */
    static Map<String, String> pairs(CommandLine commandLine, String option, String form, List<String> pairs) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new CommandLine.ParameterException(commandLine, option + " takes " + form + ", got '" + pair + "'");
            }
            parsed.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return parsed;
    }
}

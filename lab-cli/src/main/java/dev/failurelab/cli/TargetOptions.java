package dev.failurelab.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where running services answer ({@code ./lab use}, {@code ./lab restart}): a host, and endpoints moved. */
final class TargetOptions {

    @Option(names = "--target", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "where the services run (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--port", paramLabel = "NAME=PORT",
            description = "move one endpoint of the topology (e.g. edge-management=19080); repeatable")
    List<String> ports = new ArrayList<>();
}

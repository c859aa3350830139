package dev.failurelab.cli;

import dev.failurelab.lab.postmortem.PostmortemDraft;
import dev.failurelab.lab.postmortem.PostmortemLint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab postmortem}: draft a post-mortem from a recorded run, or check a finished one (lab 11.3). */
@Command(name = "postmortem", mixinStandardHelpOptions = true,
        description = {"Draft a post-mortem from a recorded lab run (a folder of lab-runs/), or check a finished one.",
                "  ./lab postmortem lab-runs/retry-storm-20261127-101500     writes postmortem-draft.md there",
                "  ./lab postmortem --check my-postmortem.md                exit 1 naming every gap"})
final class PostmortemCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "the recorded run's folder")
    Path run;

    @Option(names = "--check", paramLabel = "FILE", description = "check a finished post-mortem instead")
    Path check;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the draft (default: RUN/postmortem-draft.md)")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        if ((run == null) == (check == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either RUN or --check FILE");
        }
        if (check != null) {
            if (!Files.isRegularFile(check)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--check: no such file: " + check);
            }
            List<String> problems = PostmortemLint.check(Files.readString(check));
            problems.forEach(problem -> console.println("GAP " + problem));
            console.println(problems.isEmpty() ? "OK: " + check + " is complete"
                    : problems.size() + " gap(s) in " + check);
            console.flush();
            return problems.isEmpty() ? 0 : 1;
        }
        if (!Files.isDirectory(run)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "RUN: no such folder: " + run
                    + " (the folders of lab-runs/ that ./lab run writes)");
        }
        String draft;
        try {
            draft = PostmortemDraft.from(run);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path target = out != null ? out : run.resolve("postmortem-draft.md");
        Files.writeString(target, draft);
        console.println("draft written: " + target);
        console.println("fill in every '" + PostmortemLint.PROMPT + "', then: ./lab postmortem --check " + target);
        console.flush();
        return 0;
    }
}

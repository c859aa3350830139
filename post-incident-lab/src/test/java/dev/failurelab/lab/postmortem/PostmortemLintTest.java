package dev.failurelab.lab.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostmortemLintTest {

    private static final Path EXAMPLE = Path.of("examples", "retry-storm-postmortem.md");
    private static final Path TEMPLATE = Path.of("..", "runbooks", "POSTMORTEM_TEMPLATE.md");

    @Test
    void check_acceptsTheCompletedExample() throws Exception {
        assertThat(PostmortemLint.check(Files.readString(EXAMPLE))).isEmpty();
    }

    @Test
    void check_refusesTheTemplate_namingEveryPromptAndPlaceholder() throws Exception {
        assertThat(PostmortemLint.check(Files.readString(TEMPLATE)))
                .anySatisfy(gap -> assertThat(gap).contains("a prompt is left: > PROMPT: Three sentences"))
                .anySatisfy(gap -> assertThat(gap).contains("a placeholder is left: - Duration: <from>"))
                .anySatisfy(gap -> assertThat(gap).startsWith("Action items: 0 with an owner"));
    }

    @Test
    void check_refusesASingleCause_fewerThanThreeOwnedActions_andEmptySections() throws Exception {
        String example = Files.readString(EXAMPLE);
        String singleCause = example.replaceAll("(?s)(## Contributing factors\n).*?(\n## Detection)",
                "$1\n1. The bottom failed.\n$2");
        assertThat(PostmortemLint.check(singleCause)).containsExactly(
                "Contributing factors: 1 listed; a single root cause is never the whole story (list at least 2)");

        String unowned = example.replaceFirst("\\| ([^|\\n]+) \\| [^|\\n]+ \\| (\\d{4}-\\d{2}-\\d{2}) \\|",
                "| $1 |  | $2 |");
        assertThat(PostmortemLint.check(unowned)).containsExactly(
                "Action items: 2 with an owner and a deadline (YYYY-MM-DD); at least 3 are needed");

        String empty = example.replaceAll("(?s)(## Impact\n).*?(\n## Timeline)", "$1\n$2")
                .replaceAll("(?s)(## Timeline\n).*?(\n## Contributing factors)", "$1\n$2");
        assertThat(PostmortemLint.check(empty)).contains(
                "Impact: empty (give failed requests, duration and the peak, with numbers)",
                "Timeline: empty (one row per event, with its time)");

        assertThat(PostmortemLint.check(example.replace("## Appendix", "## Links")))
                .containsExactly("section '## Appendix' is missing");
    }
}

package dev.failurelab.lab.stampede;

import dev.failurelab.lab.experiment.Check;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stampede run: the settings, each strategy's result, and the hypotheses checked.
 *
 * @param startedAt  when the run started
 * @param settings   every setting in force (defaults plus overrides)
 * @param strategies per-strategy results, in run order
 * @param checks     the hypotheses, checked
 */
public record StampedeResult(Instant startedAt, Map<String, String> settings, List<StrategyResult> strategies,
        List<Check> checks) {

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** The comparison table, as printed on the terminal and in the Markdown summary. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| strategy | origin queries | errors | p50 ms | p99 ms | fresh-key p99 ms | recompute ms | waiters' p99 wait ms | pool wait ms |\n");
        table.append("|----------|----------------|--------|--------|--------|------------------|--------------|----------------------|--------------|\n");
        for (StrategyResult r : strategies) {
            Shot s = r.expiry();
            table.append(String.format(Locale.ROOT, "| %-8s | %14.0f | %6d | %6.1f | %6.1f | %16.1f | %12.0f | %20s | %12.0f |%n",
                    r.strategy(), s.originQueries(), s.errors(), s.p50Ms(), s.p99Ms(), r.hit().p99Ms(), s.recomputeMs(),
                    Double.isNaN(s.waitP99Ms()) ? "-" : String.format(Locale.ROOT, "%.0f", s.waitP99Ms()),
                    s.poolWaitMs()));
        }
        return table.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Cache stampede (lab 11.2): ").append(passed() ? "PASSED" : "FAILED")
                .append("\n\nStarted ").append(startedAt).append(". ").append(settings.get("burst.requests"))
                .append(" requests fired at the hot key's expiry, split over the replicas; TTL ")
                .append(settings.get("topology.bottom.chain.cache.ttl")).append(".\n\n");
        md.append(table()).append("\n## Where the answers came from\n\n| strategy | fresh key | at expiry |\n|---|---|---|\n");
        strategies.forEach(r -> md.append("| ").append(r.strategy()).append(" | ").append(r.hit().sources())
                .append(" | ").append(r.expiry().sources()).append(" |\n"));
        strategies.stream().filter(r -> r.steady() != null).forEach(r -> md.append(String.format(Locale.ROOT,
                "%n## XFetch under steady reads%n%nAt %.0f req/s for %d s through an expiry: %d early recomputes, "
                        + "%s ms before the expiry; %d reads found the key expired. The burst that arrived after an "
                        + "expiry nobody read through cost %.0f queries: XFetch needs traffic before the expiry.%n",
                r.steady().rate(), r.steady().seconds(), r.steady().earlyRecomputes(), r.steady().leadMs(),
                r.steady().misses(), r.expiry().originQueries())));
        md.append("\n## Hypotheses\n\n```\n");
        checks.forEach(c -> md.append(c.line()).append('\n'));
        md.append("```\n\n## Settings\n\n```\n");
        settings.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> md.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        return md.append("```\n").toString();
    }
}

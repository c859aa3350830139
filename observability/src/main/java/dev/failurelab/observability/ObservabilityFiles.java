package dev.failurelab.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workshop stack's observability files ({@code observability/}): every PromQL expression in
 * the Grafana dashboards and the Prometheus rules, with where it comes from.
 *
 * @param folder the {@code observability} folder
 */
public record ObservabilityFiles(Path folder) {

    /**
     * One PromQL expression.
     *
     * @param where the file and the panel or rule it belongs to
     * @param expr  the expression
     */
    public record Query(String where, String expr) {

        /** This query as Grafana sends it with the dashboards' {@code namespace} variable at {@code value}. */
        public Query withNamespace(String value) {
            return new Query(where, expr.replace(NAMESPACE_VARIABLE, value));
        }
    }

    /**
     * The dashboards' one variable, the participant's namespace on Kubernetes; every selector of
     * every panel filters on it ({@link #NAMESPACE_FILTER}). At "All" (its default, and its only
     * value under compose or on a laptop, where the series carry no namespace) Grafana sends
     * {@link #ALL} in its place, which every series matches, a namespace label or none.
     */
    public static final String NAMESPACE_VARIABLE = "$namespace";

    /** The label matcher every dashboard selector starts with. */
    public static final String NAMESPACE_FILTER = "namespace=~\"" + NAMESPACE_VARIABLE + "\"";

    /** The value of a variable at "All". */
    public static final String ALL = ".*";

    public Path prometheusConfig() {
        return folder.resolve("prometheus/prometheus.yml");
    }

    public Path alertRules() {
        return folder.resolve("prometheus/alerts.yml");
    }

    public Path alertTests() {
        return folder.resolve("prometheus/alerts-test.yml");
    }

    public Path dashboards() {
        return folder.resolve("grafana/dashboards");
    }

    /** The runbook library, beside this folder. */
    public Path runbooks() {
        return folder.resolveSibling("runbooks");
    }

    /** Every {@code ```promql} block of every runbook (triage blocks, {@code ```promql triage}, too). */
    public List<Query> runbookQueries() {
        List<Query> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(runbooks())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).strip().equals("```promql") || lines.get(i).strip().equals("```promql triage")) {
                        StringBuilder expr = new StringBuilder();
                        int start = i + 1;
                        for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                            expr.append(lines.get(i).strip()).append(' ');
                        }
                        queries.add(new Query(file.getFileName() + ":" + start, expr.toString().strip()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    /**
     * Every target expression of every panel of every dashboard, as Grafana sends it with the
     * namespace at "All" (what Prometheus answers under compose or on a laptop).
     */
    public List<Query> dashboardQueries() {
        return dashboardQueriesAsWritten().stream().map(query -> query.withNamespace(ALL)).toList();
    }

    /** Every target expression of every panel of every dashboard, as written (variables unresolved). */
    public List<Query> dashboardQueriesAsWritten() {
        List<Query> queries = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try (Stream<Path> files = Files.list(dashboards())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        queries.add(new Query(file.getFileName() + " / " + panel.path("title").asString()
                                + " / " + target.path("refId").asString(), target.path("expr").asString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    /** Every rule's expression (alerts and recordings). */
    public List<Query> ruleQueries() {
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
            queries.add(new Query("alerts.yml / " + name, String.valueOf(rule.get("expr"))));
        }
        return queries;
    }

    /** The names recording rules define (usable in other expressions without being exported). */
    public Set<String> recordedNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> rule : rules()) {
            if (rule.containsKey("record")) {
                names.add(String.valueOf(rule.get("record")));
            }
        }
        return names;
    }

    /** Every alert's severity label ({@code page}, {@code ticket}, {@code info}), by alert name. */
    public Map<String, String> alertSeverities() {
        Map<String, String> severities = new java.util.LinkedHashMap<>();
        for (Map<String, Object> alert : alerts()) {
            Object labels = alert.get("labels");
            Object severity = labels instanceof Map<?, ?> map ? map.get("severity") : null;
            severities.put(String.valueOf(alert.get("alert")), String.valueOf(severity));
        }
        return severities;
    }

    /** Every alerting rule, as written. */
    public List<Map<String, Object>> alerts() {
        return rules().stream().filter(rule -> rule.containsKey("alert")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> rules() {
        try (InputStream in = Files.newInputStream(alertRules())) {
            Map<String, Object> root = new Yaml().load(in);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

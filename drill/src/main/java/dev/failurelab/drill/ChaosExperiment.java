package dev.failurelab.drill;

import dev.failurelab.lab.drill.DrillScenario;
import dev.failurelab.lab.drill.ExperimentSteps;
import dev.failurelab.lab.experiment.LabDefaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A drill's failure mode as a Chaos Toolkit experiment file ({@code experiments/<mode>.json}): a
 * steady-state hypothesis (the SLO's burn rate under its threshold, a probe of Prometheus's HTTP
 * API), a method (the lab's latent condition, then the fault, then a pause to observe) and
 * rollbacks, so that a team runs the same experiment with {@code chaos run} in staging and the lab
 * runs it with {@code ./lab drill experiment run} ({@link ExperimentRunner}). {@link #validate}
 * applies Chaos Toolkit's own rules for an experiment's form.
 */
public final class ChaosExperiment {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The folder of the project's experiment files. */
    public static final String FOLDER = "experiments";

    private ChaosExperiment() {
    }

    /**
     * The experiment of {@code entry}'s failure mode.
     *
     * @param drill the drill's settings: the SLO, the burn window and the threshold it holds under
     */
    public static ObjectNode of(DrillCatalogue.Entry entry, LabDefaults drill) {
        DrillScenario scenario = entry.scenario();
        LabDefaults lab = LabDefaults.load(entry.lab().defaults());
        ExperimentSteps steps = scenario.experiment(lab, entry.lab().topology().endpoints("127.0.0.1"));
        String mode = scenario.failureMode();
        double objective = drill.number("slo.objective");
        double threshold = drill.number("mitigated.burn");
        String window = drill.duration("burn.window").toSeconds() + "s";

        ObjectNode experiment = JSON.createObjectNode();
        experiment.put("version", "1.0.0");
        experiment.put("title", "The SLO holds through a " + mode.replace('-', ' '));
        experiment.put("description", "Failure Lab's " + mode + " drill (" + entry.lab().description()
                + ") as a Chaos Toolkit experiment. Run it from the project's folder: chaos run " + FOLDER + "/"
                + mode + ".json (./lab drill experiment run " + FOLDER + "/" + mode + ".json runs it in the lab,"
                + " behind the lab's usual load). The method's actions named lab-* set the lab's latent condition:"
                + " in staging, delete them and keep the system as it runs. The runbook: runbooks/" + mode + ".md.");
        ArrayNode tags = experiment.putArray("tags");
        tags.add("failure-lab");
        tags.add(mode);
        if (!entry.lab().name().equals(mode)) {
            tags.add(entry.lab().name());
        }
        ObjectNode contributions = experiment.putObject("contributions");
        contributions.put("availability", "high");
        contributions.put("reliability", "high");

        ObjectNode configuration = experiment.putObject("configuration");
        ObjectNode prometheus = configuration.putObject("prometheus_url");
        prometheus.put("type", "env");
        prometheus.put("key", "PROMETHEUS_URL");
        prometheus.put("default", "http://127.0.0.1:9090");
        configuration.put("fault_ttl", steps.ttl().toSeconds() + "s");
        configuration.put("observe_seconds", steps.observe().toSeconds());

        ObjectNode hypothesis = experiment.putObject("steady-state-hypothesis");
        hypothesis.put("title", String.format(Locale.ROOT, "The %.1f%% SLO burns under %sx its error budget over %s",
                objective * 100, number(threshold), window));
        ObjectNode probe = hypothesis.putArray("probes").addObject();
        probe.put("type", "probe");
        probe.put("name", "slo-burn-under-" + number(threshold) + "x");
        // Prometheus answers no series while the comparison is false: the steady state.
        ObjectNode tolerance = probe.putObject("tolerance");
        tolerance.put("type", "jsonpath");
        tolerance.put("path", "$.data.result[*]");
        tolerance.put("count", 0);
        tolerance.put("target", "body");
        ObjectNode provider = probe.putObject("provider");
        provider.put("type", "http");
        provider.put("url", "${prometheus_url}/api/v1/query");
        provider.put("timeout", 10);
        provider.putObject("arguments").put("query", "(" + scenario.badRatio(window) + ") / "
                + number(1 - objective) + " > " + number(threshold));

        ArrayNode method = experiment.putArray("method");
        steps.latent().forEach(step -> method.add(action("lab-" + step.name(), step, 60)));
        // A background trigger (a load) runs for the fault's TTL: its timeout must not cut it short.
        long triggerTimeout = Math.max(60, steps.ttl().toSeconds() + 30);
        steps.trigger().forEach(step -> method.add(action(step.name(), step, step.background() ? triggerTimeout : 60)));
        ((ObjectNode) method.get(method.size() - 1)).putObject("pauses").put("after", "${observe_seconds}");
        ArrayNode rollbacks = experiment.putArray("rollbacks");
        steps.rollbacks().forEach(step -> rollbacks.add(action(step.name(), step, 60)));
        return experiment;
    }

    /** {@code experiment} as the project writes it: two-space indents, a final new line. */
    public static String text(JsonNode experiment) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(experiment) + "\n";
    }

    private static ObjectNode action(String name, ExperimentSteps.Step step, long processTimeout) {
        ObjectNode action = JSON.createObjectNode();
        action.put("type", "action");
        action.put("name", name);
        ObjectNode provider = action.putObject("provider");
        if (step.command() != null) {
            String[] words = step.command().split(" ", 2);
            provider.put("type", "process");
            provider.put("path", words[0]);
            provider.put("arguments", words.length > 1 ? words[1] : "");
            provider.put("timeout", processTimeout);
        } else {
            provider.put("type", "http");
            provider.put("url", step.url().toString());
            provider.put("method", "PUT");
            provider.putObject("headers").put("Content-Type", "application/json");
            ObjectNode body = provider.putObject("arguments");
            new TreeMap<>(step.body()).forEach(body::put);
            provider.put("timeout", 10);
        }
        if (step.background()) {
            action.put("background", true);
        }
        return action;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "");
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]+}");

    /**
     * What is wrong with {@code experiment}'s form, by Chaos Toolkit's rules (chaoslib's
     * {@code ensure_experiment_is_valid}): a title, a description and a method; each activity a
     * probe or an action with a name and a python, process or http provider; numeric timeouts; pauses
     * as numbers or {@code ${…}}; a hypothesis with a title whose probes carry a tolerance of a known
     * kind. Empty when it is valid.
     */
    public static List<String> validate(JsonNode experiment) {
        List<String> problems = new ArrayList<>();
        if (experiment == null || !experiment.isObject() || experiment.isEmpty()) {
            problems.add("an empty experiment is not an experiment");
            return problems;
        }
        if (experiment.path("title").asString("").isBlank()) {
            problems.add("experiment requires a title");
        }
        if (experiment.path("description").asString("").isBlank()) {
            problems.add("experiment requires a description");
        }
        for (JsonNode tag : experiment.path("tags")) {
            if (!tag.isString() || tag.asString().isEmpty()) {
                problems.add("experiment tags must be a non-empty string");
            }
        }
        JsonNode hypothesis = experiment.get("steady-state-hypothesis");
        if (hypothesis != null) {
            if (hypothesis.path("title").asString("").isBlank()) {
                problems.add("hypothesis requires a title");
            }
            for (JsonNode probe : hypothesis.path("probes")) {
                activity(probe, "hypothesis probe", problems);
                if (!probe.has("tolerance")) {
                    problems.add("hypothesis probe must have a tolerance entry: " + probe.path("name").asString(""));
                } else {
                    tolerance(probe.get("tolerance"), problems);
                }
            }
        }
        if (!experiment.has("method") || !experiment.get("method").isArray()) {
            problems.add("an experiment requires a method, which can be empty for only checking steady state"
                    + " hypothesis");
        } else {
            experiment.get("method").forEach(activity -> activity(activity, "method", problems));
        }
        experiment.path("rollbacks").forEach(activity -> activity(activity, "rollbacks", problems));
        return problems;
    }

    private static void activity(JsonNode activity, String where, List<String> problems) {
        if (activity == null || activity.isEmpty()) {
            problems.add(where + ": empty activity is no activity");
            return;
        }
        if (activity.has("ref")) {
            if (activity.path("ref").asString("").isEmpty()) {
                problems.add(where + ": reference to activity must be non-empty strings");
            }
            return;
        }
        String name = activity.path("name").asString("");
        String type = activity.path("type").asString("");
        if (type.isEmpty()) {
            problems.add(where + ": an activity must have a type");
        } else if (!List.of("probe", "action").contains(type)) {
            problems.add(where + ": '" + type + "' is not a supported activity type");
        }
        if (name.isEmpty()) {
            problems.add(where + ": an activity must have a name");
        }
        JsonNode provider = activity.get("provider");
        if (provider == null || provider.isEmpty()) {
            problems.add(where + " " + name + ": an activity requires a provider");
            return;
        }
        String kind = provider.path("type").asString("");
        if (!List.of("python", "process", "http").contains(kind)) {
            problems.add(where + " " + name + ": unknown provider type '" + kind + "'");
        }
        if (activity.has("timeout") && !activity.get("timeout").isNumber()) {
            problems.add(where + " " + name + ": activity timeout must be a number");
        }
        for (String pause : List.of("before", "after")) {
            JsonNode value = activity.path("pauses").get(pause);
            if (value != null && !value.isNumber() && !(value.isString()
                    && VARIABLE.matcher(value.asString()).matches())) {
                problems.add(where + " " + name + ": activity " + pause + " pause must be a number or a pattern to"
                        + " a variable from the configuration or secrets");
            }
        }
        if (activity.has("background") && !activity.get("background").isBoolean()) {
            problems.add(where + " " + name + ": activity background must be a boolean");
        }
        switch (kind) {
            case "process" -> {
                if (provider.path("path").asString("").isEmpty()) {
                    problems.add(where + " " + name + ": a process activity must have a path");
                }
            }
            case "http" -> {
                if (provider.path("url").asString("").isEmpty()) {
                    problems.add(where + " " + name + ": a HTTP activity must have a URL");
                }
                if (provider.has("headers") && !provider.get("headers").isObject()) {
                    problems.add(where + " " + name + ": a HTTP activities expect headers as a mapping");
                }
            }
            case "python" -> {
                if (provider.path("module").asString("").isEmpty() || provider.path("func").asString("").isEmpty()) {
                    problems.add(where + " " + name + ": a Python activity must have a module and a func");
                }
            }
            default -> {
            }
        }
    }

    private static void tolerance(JsonNode tolerance, List<String> problems) {
        if (!(tolerance.isBoolean() || tolerance.isIntegralNumber() || tolerance.isArray() || tolerance.isString()
                || tolerance.isObject())) {
            problems.add("hypothesis probe tolerance must either be an integer, a string, a boolean or a pair of"
                    + " values for boundaries, or a dictionary");
            return;
        }
        if (!tolerance.isObject()) {
            return;
        }
        String type = tolerance.path("type").asString("");
        switch (type) {
            case "probe" -> activity(tolerance, "tolerance", problems);
            case "regex" -> {
                if (!tolerance.has("pattern")) {
                    problems.add("hypothesis regex probe tolerance must have a `pattern` key");
                } else {
                    try {
                        Pattern.compile(tolerance.get("pattern").asString());
                    } catch (RuntimeException e) {
                        problems.add("hypothesis probe tolerance pattern seems invalid: " + e.getMessage());
                    }
                }
            }
            case "jsonpath" -> {
                String path = tolerance.path("path").asString("").strip();
                if (path.isEmpty()) {
                    problems.add("hypothesis jsonpath probe tolerance must have a `path` key");
                } else if (!JsonPathLite.isValid(path)) {
                    problems.add("hypothesis probe tolerance JSON path " + path + " is invalid");
                }
            }
            case "range" -> {
                JsonNode range = tolerance.get("range");
                if (range == null) {
                    problems.add("hypothesis range probe tolerance must have a `range` key");
                } else if (!range.isArray()) {
                    problems.add("hypothesis range must be a sequence");
                } else if (range.size() != 2) {
                    problems.add("hypothesis range sequence must be made of two values");
                } else if (!range.get(0).isNumber() || !range.get(1).isNumber()) {
                    problems.add("hypothesis range boundaries must be numbers");
                }
            }
            default -> problems.add("hypothesis probe tolerance type '" + type + "' is unsupported");
        }
    }

    /** The experiments of every failure mode of {@code catalogue}, by mode. */
    public static Map<String, ObjectNode> all(DrillCatalogue catalogue, LabDefaults drill) {
        Map<String, ObjectNode> experiments = new TreeMap<>();
        catalogue.entries().forEach(entry -> experiments.put(entry.scenario().failureMode(), of(entry, drill)));
        return experiments;
    }
}

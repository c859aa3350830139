package dev.failurelab.drill;

import dev.failurelab.lab.infra.ExternalTool;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Runs a Chaos Toolkit experiment as {@code chaos run} does, for what the project's experiments use:
 * the steady-state hypothesis, then the method, then the hypothesis again, then the rollbacks
 * (always, as {@code --rollback-strategy always}); {@code process} and {@code http} providers,
 * pauses, background activities, configuration (literal and {@code env}) with {@code ${…}}
 * substitution; tolerances of every kind but {@code probe}. It writes Chaos Toolkit's journal:
 * {@code status} ({@code completed}, {@code failed} when the steady state was not met before the
 * method, {@code interrupted}), {@code deviated} (the steady state not met after it),
 * {@code steady_states}, {@code run} and {@code rollbacks}.
 */
public final class ExperimentRunner {

    /** Longest a process activity without a timeout may run. */
    static final Duration PROCESS_LIMIT = Duration.ofMinutes(10);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Path root;
    private final Consumer<String> console;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param root    the folder the process activities run from (the project's)
     * @param console where each activity is reported as it ends
     */
    public ExperimentRunner(Path root, Consumer<String> console) {
        this.root = root;
        this.console = console;
    }

    /**
     * Runs {@code experiment} to its end.
     *
     * @param vars configuration values that replace the experiment's ({@code chaos run --var})
     * @return the journal
     * @throws IllegalArgumentException naming what is wrong with the experiment's form
     */
    public ObjectNode run(JsonNode experiment, Map<String, String> vars) throws InterruptedException {
        List<String> problems = ChaosExperiment.validate(experiment);
        for (JsonNode activity : activities(experiment)) {
            String kind = activity.path("provider").path("type").asString("");
            if (kind.equals("python")) {
                problems.add("activity " + activity.path("name").asString() + ": python providers need Chaos Toolkit"
                        + " itself (chaos run)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the experiment is not valid: " + String.join("; ", problems));
        }
        Map<String, JsonNode> configuration = configuration(experiment.path("configuration"), vars);
        ObjectNode journal = ChaosExperiment.JSON.createObjectNode();
        journal.put("runner", "Failure Lab (./lab drill experiment run)");
        journal.put("platform", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        journal.set("experiment", experiment.deepCopy());
        Instant start = Instant.now();
        journal.put("start", start.toString());
        journal.putNull("status");
        journal.put("deviated", false);
        ObjectNode states = journal.putObject("steady_states");
        states.putNull("before");
        states.putNull("after");
        states.putArray("during");
        ArrayNode runs = journal.putArray("run");
        ArrayNode rollbacks = journal.putArray("rollbacks");
        try {
            console.accept("steady state hypothesis: " + experiment.path("steady-state-hypothesis").path("title")
                    .asString("(none)"));
            ObjectNode before = hypothesis(experiment, configuration);
            states.set("before", before);
            if (before != null && !before.path("steady_state_met").asBoolean()) {
                console.accept("the steady state was not met before the method: the experiment is not run");
                journal.put("status", "failed");
            } else {
                method(experiment.path("method"), configuration, runs);
                ObjectNode after = hypothesis(experiment, configuration);
                states.set("after", after);
                journal.put("status", "completed");
                if (after != null && !after.path("steady_state_met").asBoolean()) {
                    journal.put("deviated", true);
                    console.accept("the steady state deviated: a weakness may have been found");
                } else {
                    console.accept("the steady state held");
                }
            }
        } catch (InterruptedException e) {
            journal.put("status", "interrupted");
            Thread.currentThread().interrupt();
        } finally {
            boolean interrupted = Thread.interrupted(); // the rollbacks run even so
            for (JsonNode activity : experiment.path("rollbacks")) {
                try {
                    rollbacks.add(execute(activity, configuration));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            Instant end = Instant.now();
            journal.put("end", end.toString());
            journal.put("duration", Duration.between(start, end).toMillis() / 1000.0);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return journal;
    }

    private static List<JsonNode> activities(JsonNode experiment) {
        List<JsonNode> all = new ArrayList<>();
        experiment.path("steady-state-hypothesis").path("probes").forEach(all::add);
        experiment.path("method").forEach(all::add);
        experiment.path("rollbacks").forEach(all::add);
        return all;
    }

    private void method(JsonNode method, Map<String, JsonNode> configuration, ArrayNode runs)
            throws InterruptedException {
        List<Thread> background = new ArrayList<>();
        List<ObjectNode> backgroundRuns = new ArrayList<>();
        for (JsonNode activity : method) {
            if (activity.path("background").asBoolean(false)) {
                ObjectNode placeholder = ChaosExperiment.JSON.createObjectNode();
                backgroundRuns.add(placeholder);
                Thread thread = new Thread(() -> {
                    try {
                        placeholder.setAll(execute(activity, configuration));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "experiment-" + activity.path("name").asString());
                thread.setDaemon(true);
                thread.start();
                background.add(thread);
                runs.add(placeholder);
            } else {
                runs.add(execute(activity, configuration));
            }
        }
        for (Thread thread : background) {
            thread.join(); // chaos run waits for the background activities before checking the steady state
        }
    }

    /** The hypothesis's probes, until one fails or misses its tolerance; null when there is none. */
    private ObjectNode hypothesis(JsonNode experiment, Map<String, JsonNode> configuration)
            throws InterruptedException {
        JsonNode hypothesis = experiment.get("steady-state-hypothesis");
        if (hypothesis == null) {
            return null;
        }
        ObjectNode state = ChaosExperiment.JSON.createObjectNode();
        ArrayNode probes = state.putArray("probes");
        for (JsonNode probe : hypothesis.path("probes")) {
            ObjectNode run = execute(probe, configuration);
            probes.add(run);
            boolean met = run.path("status").asString().equals("succeeded")
                    && withinTolerance(substitute(probe.get("tolerance"), configuration), run.get("output"));
            run.put("tolerance_met", met);
            if (!met) {
                state.put("steady_state_met", false);
                return state;
            }
        }
        state.put("steady_state_met", true);
        return state;
    }

    private ObjectNode execute(JsonNode activity, Map<String, JsonNode> configuration) throws InterruptedException {
        JsonNode pauses = substitute(activity.path("pauses"), configuration);
        pause(pauses.get("before"));
        ObjectNode run = ChaosExperiment.JSON.createObjectNode();
        run.set("activity", activity.deepCopy());
        Instant start = Instant.now();
        run.put("start", start.toString());
        JsonNode provider = substitute(activity.path("provider"), configuration);
        String name = activity.path("name").asString();
        try {
            JsonNode output = provider.path("type").asString().equals("process") ? process(provider) : http(provider);
            run.put("status", "succeeded");
            run.set("output", output);
            console.accept("  " + activity.path("type").asString() + " " + name + ": " + output.path("status"));
        } catch (IOException | RuntimeException e) {
            run.put("status", "failed");
            run.put("exception", dev.failurelab.contract.Errors.rootMessage(e));
            console.accept("  " + activity.path("type").asString() + " " + name + " failed: "
                    + dev.failurelab.contract.Errors.rootMessage(e));
        }
        Instant end = Instant.now();
        run.put("end", end.toString());
        run.put("duration", Duration.between(start, end).toMillis() / 1000.0);
        pause(pauses.get("after"));
        return run;
    }

    private static void pause(JsonNode seconds) throws InterruptedException {
        if (seconds != null && !seconds.isNull()) {
            double value = seconds.isNumber() ? seconds.asDouble() : Double.parseDouble(seconds.asString());
            Thread.sleep(Math.round(value * 1000));
        }
    }

    private ObjectNode process(JsonNode provider) throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder(provider.path("path").asString());
        JsonNode arguments = provider.get("arguments");
        if (arguments != null && arguments.isString()) {
            line.append(' ').append(arguments.asString());
        } else if (arguments != null && arguments.isArray()) {
            arguments.forEach(argument -> line.append(' ').append(quote(argument.asString())));
        } else if (arguments != null && arguments.isObject()) {
            arguments.properties().forEach(e -> line.append(' ').append(quote(e.getKey())).append(' ')
                    .append(quote(e.getValue().asString())));
        }
        Duration limit = provider.has("timeout")
                ? Duration.ofMillis(Math.round(provider.get("timeout").asDouble() * 1000)) : PROCESS_LIMIT;
        ExternalTool.Result result = ExternalTool.shell(root, Map.of(), limit, line.toString());
        ObjectNode output = ChaosExperiment.JSON.createObjectNode();
        output.put("status", result.exitCode());
        output.put("stdout", result.output());
        output.put("stderr", "");
        return output;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private ObjectNode http(JsonNode provider) throws IOException, InterruptedException {
        String method = provider.path("method").asString("GET").toUpperCase(java.util.Locale.ROOT);
        String url = provider.path("url").asString();
        JsonNode arguments = provider.get("arguments");
        HttpRequest.Builder request;
        boolean json = "application/json".equals(provider.path("headers").path("Content-Type").asString(""));
        if (method.equals("GET")) {
            request = HttpRequest.newBuilder(URI.create(arguments == null ? url : url + (url.contains("?") ? "&" : "?")
                    + form(arguments))).GET();
        } else {
            String body = arguments == null ? "" : json ? arguments.toString() : form(arguments);
            request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofString(body));
            if (!json) {
                request.header("Content-Type", "application/x-www-form-urlencoded");
            }
        }
        provider.path("headers").properties().forEach(e -> request.header(e.getKey(), e.getValue().asString()));
        if (provider.has("timeout")) {
            request.timeout(Duration.ofMillis(Math.round(provider.get("timeout").asDouble() * 1000)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode output = ChaosExperiment.JSON.createObjectNode();
        output.put("status", response.statusCode());
        ObjectNode headers = output.putObject("headers");
        response.headers().map().forEach((key, values) -> headers.put(key, String.join(", ", values)));
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.split(";")[0].strip().equals("application/json")) {
            output.set("body", ChaosExperiment.JSON.readTree(response.body()));
        } else {
            output.put("body", response.body());
        }
        return output;
    }

    private static String form(JsonNode arguments) {
        List<String> pairs = new ArrayList<>();
        arguments.properties().forEach(e -> pairs.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue().isString() ? e.getValue().asString() : e.getValue().toString(),
                StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    /** The configuration: literal values, {@code env} values (their default when unset), {@code vars} over both. */
    static Map<String, JsonNode> configuration(JsonNode declared, Map<String, String> vars) {
        Map<String, JsonNode> values = new HashMap<>();
        declared.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isObject() && "env".equals(value.path("type").asString(""))) {
                String set = System.getenv(value.path("key").asString());
                if (set != null) {
                    values.put(e.getKey(), StringNode.valueOf(set));
                } else if (value.has("default")) {
                    values.put(e.getKey(), value.get("default"));
                } else {
                    throw new IllegalArgumentException("configuration " + e.getKey() + ": the environment has no "
                            + value.path("key").asString() + " and it has no default");
                }
            } else {
                values.put(e.getKey(), value);
            }
        });
        vars.forEach((key, text) -> {
            JsonNode old = values.get(key);
            values.put(key, old != null && old.isNumber() ? tools.jackson.databind.node.JsonNodeFactory.instance
                    .numberNode(new BigDecimal(text)) : StringNode.valueOf(text));
        });
        return values;
    }

    /**
     * {@code node} with each {@code ${name}} replaced by its configuration value: a string that is only
     * the pattern takes the value itself (a number stays a number); unknown names stay as written.
     */
    static JsonNode substitute(JsonNode node, Map<String, JsonNode> configuration) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            String text = node.asString();
            Matcher whole = VARIABLE.matcher(text);
            if (whole.matches() && configuration.containsKey(whole.group(1))) {
                return configuration.get(whole.group(1));
            }
            Matcher matcher = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                JsonNode value = configuration.get(matcher.group(1));
                matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group()
                        : value.isString() ? value.asString() : value.toString()));
            }
            matcher.appendTail(out);
            return StringNode.valueOf(out.toString());
        }
        if (node.isObject()) {
            ObjectNode copy = ChaosExperiment.JSON.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), configuration)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ChaosExperiment.JSON.createArrayNode();
            node.forEach(item -> copy.add(substitute(item, configuration)));
            return copy;
        }
        return node;
    }

    /** Chaos Toolkit's {@code within_tolerance}, for every kind of tolerance but {@code probe}. */
    static boolean withinTolerance(JsonNode tolerance, JsonNode value) {
        if (tolerance.isBoolean() || tolerance.isString()) {
            return tolerance.equals(value);
        }
        if (tolerance.isIntegralNumber()) {
            return value.isObject() && value.has("status") ? value.get("status").asLong() == tolerance.asLong()
                    : value.isNumber() && value.asDouble() == tolerance.asDouble();
        }
        if (tolerance.isArray()) {
            if (value.isObject() && value.has("status")) {
                for (JsonNode allowed : tolerance) {
                    if (allowed.asLong() == value.get("status").asLong()) {
                        return true;
                    }
                }
                return false;
            }
            if (tolerance.size() == 2 && value.isNumber()) {
                return tolerance.get(0).asDouble() <= value.asDouble() && value.asDouble() <= tolerance.get(1).asDouble();
            }
            for (JsonNode allowed : tolerance) {
                if (allowed.equals(value)) {
                    return true;
                }
            }
            return false;
        }
        String type = tolerance.path("type").asString("");
        JsonNode target = tolerance.has("target") && value.isObject() && value.has(tolerance.get("target").asString())
                ? value.get(tolerance.get("target").asString()) : value;
        switch (type) {
            case "regex" -> {
                return Pattern.compile(tolerance.path("pattern").asString()).matcher(target.isString()
                        ? target.asString() : target.toString()).find();
            }
            case "range" -> {
                try {
                    BigDecimal number = new BigDecimal((target.isString() ? target.asString() : target.toString()).strip());
                    return number.compareTo(tolerance.get("range").get(0).decimalValue()) >= 0
                            && number.compareTo(tolerance.get("range").get(1).decimalValue()) <= 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            case "jsonpath" -> {
                JsonNode document = target;
                if (document.isString()) {
                    try {
                        document = ChaosExperiment.JSON.readTree(document.asString());
                    } catch (RuntimeException notJson) {
                        // matched as the string it is
                    }
                }
                List<JsonNode> values = JsonPathLite.match(tolerance.path("path").asString(), document);
                boolean result = !values.isEmpty();
                if (tolerance.has("count")) {
                    result = values.size() == tolerance.get("count").asInt();
                }
                if (tolerance.has("expect")) {
                    JsonNode expect = tolerance.get("expect");
                    result = expect.isArray() ? values.equals(toList(expect)) : values.equals(List.of(expect));
                }
                return result;
            }
            default -> throw new IllegalArgumentException("tolerance of type '" + type + "': not supported here");
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}

package dev.failurelab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every manifest the chart renders, as {@code helm template} writes it (not as a model reads it back:
 * a misspelt field must not vanish), checked against the vendored Kubernetes 1.30 schema
 * ({@code kubernetes/schemas/}) made strict, with the networknt JSON Schema validator: no cluster, no
 * network. The chart's custom resources (PodMonitor, PrometheusRule) are not in the schema and are named
 * here (the PrometheusRule's rules are checked by promtool, in {@link AlertRulesTest}).
 */
class SchemaCheckTest {

    private static final Path SCHEMA = RenderedChart.ROOT.resolve("kubernetes/schemas/kubernetes-1.30-fabric8-6.13.4.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The schema's definition of each kind the chart renders, by apiVersion and kind. */
    private static final Map<String, String> DEFINITIONS = Map.of(
            "apps/v1 Deployment", "kubernetes_apps_Deployment",
            "v1 Service", "kubernetes_core_Service",
            "v1 Namespace", "kubernetes_core_Namespace",
            "v1 ResourceQuota", "kubernetes_core_ResourceQuota",
            "v1 ConfigMap", "kubernetes_core_ConfigMap");
    /** Custom resources: their operator's schema, not Kubernetes's. */
    private static final List<String> CUSTOM = List.of("monitoring.coreos.com/v1 PodMonitor",
            "monitoring.coreos.com/v1 PrometheusRule");

    private static final Map<String, Schema> SCHEMAS = schemas();

    @Test
    void everyManifest_forOneParticipantAndForThirty_inEveryModeAndLab_passesTheStrictSchema() {
        List<Map<String, String>> sets = new ArrayList<>(RenderedChart.everyModeAndLab());
        sets.add(Map.of("values", "values-instructor.yaml"));
        for (Map<String, String> set : sets) {
            Path values = set.containsKey("values") ? RenderedChart.CHART.resolve(set.get("values")) : null;
            int checked = 0;
            for (Map<String, Object> manifest : manifests(values, values == null ? set : Map.of())) {
                String kind = manifest.get("apiVersion") + " " + manifest.get("kind");
                if (CUSTOM.contains(kind)) {
                    continue;
                }
                assertThat(DEFINITIONS).as("a kind the schema check covers").containsKey(kind);
                List<Error> errors = check(manifest);
                assertThat(errors).as(kind + " " + name(manifest) + ": " + errors).isEmpty();
                checked++;
            }
            assertThat(checked).as("manifests checked with " + set).isGreaterThanOrEqualTo(16);
        }
    }

    @Test
    void aMisspeltField_aWrongType_orAMissingKind_fails() {
        Map<String, Object> edge = manifests(null, Map.of()).stream().filter(m -> "Deployment".equals(m.get("kind"))
                && "edge".equals(name(m))).findFirst().orElseThrow();
        assertThat(check(edge)).isEmpty();

        Map<String, Object> misspelt = copy(edge);
        container(misspelt).put("readinessprobe", container(misspelt).remove("readinessProbe"));
        assertThat(check(misspelt)).as("a misspelt field").isNotEmpty()
                .anySatisfy(e -> assertThat(e.toString()).contains("readinessprobe"));

        Map<String, Object> wrongType = copy(edge);
        spec(wrongType).put("replicas", "one");
        assertThat(check(wrongType)).as("a string for a number").isNotEmpty();

        Map<String, Object> noKind = copy(edge);
        noKind.remove("apiVersion");
        assertThat(check(noKind, DEFINITIONS.get("apps/v1 Deployment"))).as("no apiVersion").isNotEmpty();
    }

    /** The manifest checked against its kind's definition. */
    private static List<Error> check(Map<String, Object> manifest) {
        return check(manifest, DEFINITIONS.get(manifest.get("apiVersion") + " " + manifest.get("kind")));
    }

    private static List<Error> check(Map<String, Object> manifest, String definition) {
        return SCHEMAS.get(definition).validate(JSON.valueToTree(manifest));
    }

    /** One validator per kind: the vendored schema made strict, its root a reference to the kind's definition. */
    private static Map<String, Schema> schemas() {
        ObjectNode strict = strict((ObjectNode) JSON.readTree(read(SCHEMA)));
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (String definition : DEFINITIONS.values()) {
            ObjectNode root = JSON.createObjectNode();
            root.put("$schema", "http://json-schema.org/draft-07/schema#");
            root.set("definitions", strict.get("definitions"));
            root.put("$ref", "#/definitions/" + definition);
            schemas.put(definition, registry.getSchema(SchemaLocation.of("urn:failure-lab:kubernetes:" + definition),
                    root));
        }
        return schemas;
    }

    /**
     * As kubeconform's strict schemas: an object with declared properties admits no other; a property
     * marked {@code "required": true} (fabric8's draft-03 style) goes into its object's
     * {@code required}; a quantity and an int-or-string are a string or a number, as manifests write them.
     */
    static ObjectNode strict(ObjectNode schema) {
        ObjectNode definitions = (ObjectNode) schema.get("definitions");
        for (String name : List.copyOf(definitions.propertyNames())) {
            if (name.endsWith("_Quantity")) {
                definitions.set(name, JSON.readTree("{\"type\":[\"string\",\"number\"]}"));
            } else if (name.endsWith("_IntOrString")) {
                definitions.set(name, JSON.readTree("{\"type\":[\"integer\",\"string\"]}"));
            } else {
                tighten(definitions.get(name));
            }
        }
        return schema;
    }

    private static void tighten(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            if (node instanceof ArrayNode array) {
                array.forEach(SchemaCheckTest::tighten);
            }
            return;
        }
        JsonNode properties = object.get("properties");
        if (properties instanceof ObjectNode declared) {
            ArrayNode required = JSON.createArrayNode();
            for (String property : declared.propertyNames()) {
                JsonNode schema = declared.get(property);
                if (schema instanceof ObjectNode each && each.path("required").isBoolean()) {
                    if (each.get("required").asBoolean()) {
                        required.add(property);
                    }
                    each.remove("required");
                }
            }
            if (!required.isEmpty()) {
                object.set("required", required);
            }
            object.put("additionalProperties", false);
        }
        for (String key : List.copyOf(object.propertyNames())) {
            tighten(object.get(key));
        }
    }

    private static List<Map<String, Object>> manifests(Path values, Map<String, String> set) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(RenderedChart.renderYaml(values, set))) {
            if (document != null) {
                manifests.add(cast(document));
            }
        }
        return manifests;
    }

    private static String name(Map<String, Object> manifest) {
        return String.valueOf(cast(manifest.get("metadata")).get("name"));
    }

    private static Map<String, Object> spec(Map<String, Object> deployment) {
        return cast(deployment.get("spec"));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        Map<String, Object> pod = cast(cast(spec(deployment).get("template")).get("spec"));
        return cast(((List<?>) pod.get("containers")).get(0));
    }

    private static Map<String, Object> copy(Map<String, Object> manifest) {
        return cast(new Yaml().load(new Yaml().dump(manifest)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

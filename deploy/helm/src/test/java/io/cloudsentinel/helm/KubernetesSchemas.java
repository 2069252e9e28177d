package io.cloudsentinel.helm;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.annotations.SerializedName;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schemas of the Kubernetes API, derived from the models that the official Java client generates from the API's
 * OpenAPI document ({@code io.kubernetes:client-java-api} {@value #CLIENT_VERSION} is {@value #KUBERNETES_VERSION}'s).
 * <p>
 * No jar on Maven Central ships the OpenAPI document or kubeconform's schemas themselves, but each generated model
 * keeps the document's shape: one field per property under its JSON name, the property's type, and the set of
 * required properties. Every object schema is closed ({@code additionalProperties: false}, as kubeconform's
 * {@code -strict}), so a misspelt or misplaced field fails, and so does a value of the wrong type or a missing
 * required field.
 */
final class KubernetesSchemas {

    static final String KUBERNETES_VERSION = "1.32";
    static final String CLIENT_VERSION = "24.0.0";

    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectNode definitions = JSON.createObjectNode();
    private final Map<String, Schema> byKind = new ConcurrentHashMap<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** The schema violations of one object, as "path: message"; empty when it is valid. */
    List<String> violations(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String kind = String.valueOf(object.get("kind"));
        Class<?> model = model(apiVersion, kind).orElse(null);
        if (model == null) {
            return List.of("no " + kind + " in " + apiVersion + " in Kubernetes " + KUBERNETES_VERSION);
        }
        Schema schema = byKind.computeIfAbsent(model.getSimpleName(), name -> compile(model));
        // the API server drops null fields (Helm leaves some, e.g. an empty list rendered as "key:")
        JsonNode instance = JSON.valueToTree(withoutNulls(object));
        return schema.validate(instance).stream().map(Error::toString).toList();
    }

    /**
     * The generated model of an apiVersion and kind: {@code apps/v1 Deployment} is V1Deployment, {@code autoscaling/v2
     * HorizontalPodAutoscaler} V2HorizontalPodAutoscaler; the few kinds that two groups share carry the group too
     * (CoreV1Event, EventsV1Event).
     */
    static Optional<Class<?>> model(String apiVersion, String kind) {
        String[] groupAndVersion = apiVersion.contains("/") ? apiVersion.split("/", 2)
                : new String[] { "core",
                        apiVersion };
        String version = capitalize(groupAndVersion[1]);
        String group = capitalize(groupAndVersion[0].split("\\.")[0]);
        for (String name : List.of(version + kind, group + version + kind)) {
            try {
                return Optional.of(Class.forName(MODELS + name));
            } catch (ClassNotFoundException tryNext) {
                // next candidate
            }
        }
        return Optional.empty();
    }

    private Schema compile(Class<?> model) {
        synchronized (definitions) {
            define(model);
            ObjectNode document = JSON.createObjectNode();
            document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            document.put("$ref", "#/$defs/" + model.getSimpleName());
            document.set("$defs", definitions.deepCopy());
            return registry.getSchema(document);
        }
    }

    /** Adds the schema of this model, and of every model it refers to, to the definitions. */
    private void define(Class<?> root) {
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            Class<?> model = pending.pop();
            if (definitions.has(model.getSimpleName())) {
                continue;
            }
            ObjectNode schema = definitions.putObject(model.getSimpleName());
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            for (Field field : model.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(field.getModifiers())) {
                    properties.set(name.value(), typeOf(field.getGenericType(), pending));
                }
            }
            schema.put("additionalProperties", false);
            Set<String> required = requiredFields(model);
            if (!required.isEmpty()) {
                ArrayNode list = schema.putArray("required");
                required.forEach(list::add);
            }
        }
    }

    private static ObjectNode typeOf(Type type, Deque<Class<?>> pending) {
        ObjectNode schema = JSON.createObjectNode();
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                schema.put("type", "array");
                schema.set("items", typeOf(arguments[0], pending));
            } else if (Map.class.isAssignableFrom(raw)) {
                schema.put("type", "object");
                schema.set("additionalProperties", typeOf(arguments[1], pending));
            }
            return schema;
        }
        Class<?> plain = (Class<?>) type;
        if (plain == String.class || plain == OffsetDateTime.class || plain == LocalDate.class
                || plain == byte[].class) {
            schema.put("type", "string");
        } else if (plain == Integer.class || plain == Long.class) {
            schema.put("type", "integer");
        } else if (plain == Boolean.class) {
            schema.put("type", "boolean");
        } else if (plain == Double.class || plain == Float.class || plain == BigDecimal.class) {
            schema.put("type", "number");
        } else if (plain == IntOrString.class) {
            schema.putArray("type").add("integer").add("string");
        } else if (plain == Quantity.class) {
            schema.putArray("type").add("string").add("number");
        } else if (plain.getName().startsWith(MODELS)) {
            schema.put("$ref", "#/$defs/" + plain.getSimpleName());
            pending.add(plain);
        }
        // anything else (Object: raw extensions, JSON schema props; V1Patch) is free-form in the API too
        return schema;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            Field field = model.getField("openapiRequiredFields");
            return new LinkedHashSet<>((Collection<String>) field.get(null));
        } catch (NoSuchFieldException notGenerated) {
            return Set.of();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, value) -> {
                if (value != null) {
                    copy.put(key, withoutNulls(value));
                }
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(KubernetesSchemas::withoutNulls).toList();
        }
        return node;
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}

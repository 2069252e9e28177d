package io.cloudsentinel.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * The chart in deploy/helm/cloudsentinel, rendered and linted by Helm's own Go library (helm-java).
 * <p>
 * Two things helm-java does not offer are made up for on a copy of the chart under target/: its {@code template}
 * returns the release manifest without the hooks, so the copy's templates name the hook annotations
 * {@value #TEST_HOOK} instead of {@code helm.sh/hook} (Helm then renders them as plain objects, and the tests see their
 * annotations under that name); its {@code lint} takes no values file, so the copy's values.yaml is the chart's
 * merged with the test values.
 */
final class ChartUnderTest {

    static final String TEST_HOOK = "test.cloudsentinel.io/hook";
    static final Path CHART = Path.of(System.getProperty("cs.chart.dir", "cloudsentinel"));
    static final Path WORK = Path.of(System.getProperty("cs.chart.work", "target/chart-under-test"));
    static final Path TEST_VALUES = Path.of("src/test/resources/values-test.yaml");
    static final Path PRODUCTION_VALUES = Path.of("src/test/resources/values-production.yaml");
    static final Path EMPTY_VALUES = Path.of("src/test/resources/values-empty.yaml");

    private ChartUnderTest() {
    }

    /** helm template with these values files (later ones win) and --set pairs. */
    static Rendered render(List<Path> valuesFiles, Map<String, String> sets) {
        TemplateCommand template = new Helm(copy("render")).template().withName("cs").withNamespace("cloudsentinel");
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file.toAbsolutePath());
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return Rendered.parse(template.call());
    }

    static Rendered render(Path valuesFile, Map<String, String> sets) {
        return render(List.of(valuesFile), sets);
    }

    static Rendered render(Path valuesFile) {
        return render(List.of(valuesFile), Map.of());
    }

    /** The message with which rendering fails (schema validation or a template's required/fail). */
    static String renderFailure(Path valuesFile, Map<String, String> sets) {
        try {
            render(valuesFile, sets);
        } catch (IllegalStateException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("rendering succeeded with " + sets);
    }

    /** helm lint --strict of the chart with its values.yaml overridden by this values file. */
    static LintResult lint(Path valuesFile) {
        Path chart = copy("lint-" + valuesFile.getFileName().toString().replace(".yaml", ""));
        Yaml yaml = new Yaml();
        try {
            Map<String, Object> merged = yaml.load(Files.readString(chart.resolve("values.yaml")));
            deepMerge(merged, yaml.load(Files.readString(valuesFile)));
            Files.writeString(chart.resolve("values.yaml"), yaml.dump(merged));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // strict: a warning fails as well
        return new Helm(chart).lint().strict().call();
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            if (value instanceof Map && into.get(key) instanceof Map) {
                deepMerge((Map<String, Object>) into.get(key), (Map<String, Object>) value);
            } else {
                into.put(key, value);
            }
        });
    }

    private static Path copy(String name) {
        Path target = WORK.resolve(name).resolve("cloudsentinel");
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(CHART)) {
                for (Path source : files.toList()) {
                    Path copy = target.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else if (source.getParent().getFileName().toString().equals("templates")) {
                        Files.writeString(copy, Files.readString(source).replace("helm.sh/hook", TEST_HOOK));
                    } else {
                        Files.copy(source, copy);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The rendered objects, parsed. */
    record Rendered(List<Map<String, Object>> objects) {

        static Rendered parse(String manifest) {
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : new Yaml(new LoaderOptions()).loadAll(manifest)) {
                if (document instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) map;
                    objects.add(object);
                }
            }
            return new Rendered(objects);
        }

        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(object -> kind.equals(object.get("kind"))).toList();
        }

        Map<String, Object> named(String kind, String name) {
            return ofKind(kind).stream().filter(object -> name.equals(Yamls.string(object, "metadata", "name")))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names()));
        }

        List<String> names() {
            return objects.stream().map(object -> object.get("kind") + "/" + Yamls.string(object, "metadata", "name"))
                    .toList();
        }

        /** The component label of an object (a service's name, migration, kafka-topics, ...). */
        static String component(Map<String, Object> object) {
            return Yamls.string(object, "metadata", "labels", "app.kubernetes.io/component");
        }

        Map<String, Map<String, Object>> byComponent(String kind) {
            Map<String, Map<String, Object>> byComponent = new LinkedHashMap<>();
            ofKind(kind).forEach(object -> byComponent.put(component(object), object));
            return byComponent;
        }
    }
}

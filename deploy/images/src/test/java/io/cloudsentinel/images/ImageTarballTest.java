package io.cloudsentinel.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.images.OciTarball.LayerEntry;

/**
 * The images Jib built in this module's {@code process-test-classes} phase, on an empty base so that nothing is pulled
 * (the {@code images} profile builds the same configuration on the real base): what Kubernetes and the chart rely on.
 */
class ImageTarballTest {

    private static final Path IMAGES = Path.of(System.getProperty("cs.image.testDir", "target/images-scratch"));
    private static final Path CRYPTO_APP = Path.of(System.getProperty("cs.root", "../.."))
            .resolve("crypto-service/target/quarkus-app");

    /**
     * Jib's maven plugin adds these two small files (classpath and main class of its default entrypoint, unused by
     * ours) to every jar project's image, in the lowest layer of its own; only its Quarkus extension would drop them.
     */
    private static final List<String> JIB_ARGUMENT_FILES = List.of("/deployments/jib-classpath-file",
            "/deployments/jib-main-class-file");

    private static OciTarball crypto;
    private static OciTarball bootstrap;

    @BeforeAll
    static void read() throws IOException {
        crypto = OciTarball.read(IMAGES.resolve("crypto-service.tar"));
        bootstrap = OciTarball.read(IMAGES.resolve("bootstrap.tar"));
    }

    @Test
    void isAnOciLayoutThatSkopeoAndPodmanLoad() {
        assertThat(crypto.hasFile("oci-layout")).isTrue();
        assertThat(crypto.manifestMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    }

    @Test
    void serviceRunsAsTheUnprivilegedUserFromDeploymentsWithBothPorts() throws IOException {
        JsonNode config = crypto.config();

        assertThat(config.path("User").asText()).isEqualTo("185");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/deployments");
        assertThat(names(config.path("ExposedPorts"))).containsExactlyInAnyOrder("8080/tcp", "9000/tcp");
    }

    @Test
    void serviceEntrypointExecsJavaOnTheFastJarWithContainerFlagsAndTheUsersOptions() throws IOException {
        List<String> entrypoint = strings(crypto.config().path("Entrypoint"));

        assertThat(entrypoint).hasSize(4).startsWith("/bin/sh", "-c");
        String command = entrypoint.get(2);
        assertThat(command).startsWith("exec java ")
                .contains("-XX:MaxRAMPercentage=75.0", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                .endsWith("$JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar \"$@\"");
    }

    @Test
    void labelsNameTheImage() throws IOException {
        JsonNode labels = crypto.config().path("Labels");

        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("crypto-service");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo("0.1.0");
        assertThat(labels.path("org.opencontainers.image.source").asText()).startsWith("https://");
        assertThat(labels.path("org.opencontainers.image.licenses").asText()).isNotBlank();
        assertThat(bootstrap.config().path("Labels").path("org.opencontainers.image.title").asText())
                .isEqualTo("bootstrap");
    }

    @Test
    void layersGoFromDependenciesToQuarkusToTheApplication() throws IOException {
        List<List<LayerEntry>> layers = crypto.layers();

        assertThat(layers).hasSize(4);
        assertThat(files(layers.get(0))).as("Jib's own argument files, which it writes for every jar project")
                .containsExactlyInAnyOrderElementsOf(JIB_ARGUMENT_FILES);
        assertThat(files(layers.get(1))).allMatch(path -> path.startsWith("/deployments/lib/"))
                .anyMatch(path -> path.startsWith("/deployments/lib/boot/"))
                .anyMatch(path -> path.startsWith("/deployments/lib/main/"));
        assertThat(files(layers.get(2))).isNotEmpty().allMatch(path -> path.startsWith("/deployments/quarkus/"));
        assertThat(files(layers.get(3))).contains("/deployments/quarkus-run.jar")
                .allMatch(path -> path.equals("/deployments/quarkus-run.jar") || path.startsWith("/deployments/app/"))
                .anyMatch(path -> path.startsWith("/deployments/app/cloudsentinel-crypto-service-"));
    }

    @Test
    void holdsExactlyTheFastJarAndNothingElseOfTarget() throws IOException {
        Set<String> inImage = crypto.layers().stream().flatMap(layer -> files(layer).stream())
                .collect(Collectors.toSet());
        Set<String> expected;
        try (Stream<Path> walk = Files.walk(CRYPTO_APP)) {
            expected = walk.filter(Files::isRegularFile)
                    .map(file -> "/deployments/" + CRYPTO_APP.relativize(file).toString().replace('\\', '/'))
                    .filter(path -> !path.equals("/deployments/quarkus-app-dependencies.txt"))
                    .collect(Collectors.toCollection(HashSet::new));
        }
        expected.addAll(JIB_ARGUMENT_FILES);

        assertThat(inImage).isEqualTo(expected);
    }

    @Test
    void theApplicationCannotChangeItsOwnFiles() throws IOException {
        for (List<LayerEntry> layer : crypto.layers()) {
            for (LayerEntry entry : layer) {
                assertThat(entry.ownerId()).as(entry.path()).isZero();
                assertThat(entry.mode() & 0022).as(entry.path() + " writable by group or others").isZero();
            }
        }
    }

    @Test
    void bootstrapRunsItsCliWithTheDependenciesBelowItsOwnJars() throws IOException {
        JsonNode config = bootstrap.config();
        assertThat(config.path("User").asText()).isEqualTo("185");
        assertThat(config.path("ExposedPorts").isMissingNode() || config.path("ExposedPorts").isEmpty())
                .as("a Job exposes nothing").isTrue();
        assertThat(strings(config.path("Entrypoint")).get(2))
                .contains("$JAVA_OPTS", "-cp '/deployments/lib/*' io.cloudsentinel.bootstrap.Bootstrap \"$@\"");

        List<List<LayerEntry>> layers = bootstrap.layers();
        assertThat(layers).hasSize(3);
        assertThat(files(layers.get(0))).containsExactlyInAnyOrderElementsOf(JIB_ARGUMENT_FILES);
        assertThat(files(layers.get(1))).allMatch(path -> path.startsWith("/deployments/lib/"))
                .anyMatch(path -> path.startsWith("/deployments/lib/postgresql-"))
                .anyMatch(path -> path.startsWith("/deployments/lib/kafka-clients-"))
                .noneMatch(path -> path.contains("/cloudsentinel-"));
        assertThat(files(layers.get(2))).allMatch(path -> path.startsWith("/deployments/lib/cloudsentinel-"))
                .anyMatch(path -> path.startsWith("/deployments/lib/cloudsentinel-platform-context-"));

        LayerEntry tool = layers.get(2).stream()
                .filter(entry -> entry.path().startsWith("/deployments/lib/cloudsentinel-bootstrap-"))
                .findFirst().orElseThrow();
        assertThat(jarEntries(tool.content()))
                .contains("io/cloudsentinel/bootstrap/Bootstrap.class", "cloudsentinel-bootstrap.sql");
    }

    private static List<String> files(List<LayerEntry> layer) {
        return layer.stream().filter(entry -> !entry.directory()).map(LayerEntry::path).toList();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> jarEntries(byte[] jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}

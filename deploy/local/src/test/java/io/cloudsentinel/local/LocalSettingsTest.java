package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {

    @Test
    void secretsAreGeneratedOnceAndKeptBetweenRuns(@TempDir Path root) throws Exception {
        LocalSettings first = LocalSettings.load(root);
        LocalSettings second = LocalSettings.load(root);

        assertThat(second.secrets).isEqualTo(first.secrets);
        assertThat(first.secret("context-gateway-private")).startsWith("local-gateway:MC4C");
        assertThat(first.secret("context-gateway-public")).startsWith("local-gateway:MCow");
        assertThat(java.util.Base64.getDecoder().decode(first.secret("kdf-salt"))).hasSize(32);
    }

    @Test
    void theSecretsFileIsReadableByItsOwnerOnly(@TempDir Path root) throws Exception {
        LocalSettings.load(root);

        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve(".local/secrets.properties")))).isEqualTo("rw-------");
    }

    /**
     * The expected databases come from the repository itself: every module whose application.properties declares
     * {@code quarkus.datasource.db-kind} needs one, and the launcher must bootstrap exactly those (a module that
     * gains a datasource, or a launcher entry that drifts, turns this red). The launcher may already know a service
     * this checkout does not have yet (job-service); its database is bootstrapped ahead of it.
     */
    @Test
    void everyServiceWithADatabaseIsBootstrapped() throws IOException {
        Path repository = repositoryRoot();
        Map<String, ServiceModule> launcherByDirectory = new LinkedHashMap<>();
        ServiceModule.ALL.forEach(service -> launcherByDirectory.put(service.directory(), service));

        List<String> withDatasource = modules(repository).stream()
                .filter(module -> declaresDatasource(repository.resolve(module))).toList();
        assertThat(withDatasource).as("modules that declare a datasource").isNotEmpty();
        assertThat(launcherByDirectory.keySet()).as("the launcher starts every module with a datasource")
                .containsAll(withDatasource);

        List<String> expected = withDatasource.stream()
                .map(module -> launcherByDirectory.get(module).database().orElse("(none for " + module + ")"))
                .toList();
        List<String> ahead = ServiceModule.ALL.stream()
                .filter(service -> !Files.isDirectory(repository.resolve(service.directory())))
                .flatMap(service -> service.database().stream()).toList();
        List<String> present = ServiceModule.databases().stream().filter(database -> !ahead.contains(database))
                .toList();
        assertThat(present).as("databases the launcher bootstraps for the modules of this checkout")
                .containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();

        // beyond the scan: the order of start-up, and the database of job-service, whose module is not here yet
        assertThat(ServiceModule.databases()).containsExactly("cloudsentinel_budget", "cloudsentinel_jobs",
                "cloudsentinel_scheduler", "cloudsentinel_crypto");
        assertThat(ServiceModule.ALL).extracting(Ports.local()::http).containsExactly(8081, 8082, 8083, 8084, 8080);
    }

    /** The root of the checkout: the directory above this module whose pom lists deploy/local as a module. */
    private static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.exists(pom) && Files.readString(pom).contains("<module>deploy/local</module>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml lists deploy/local above " + Path.of("").toAbsolutePath());
    }

    /** The module directories the root pom lists. */
    private static List<String> modules(Path repository) throws IOException {
        Matcher module = Pattern.compile("<module>\\s*([^<]+?)\\s*</module>")
                .matcher(Files.readString(repository.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        return modules;
    }

    /** Whether the module's main configuration names a datasource kind (in every profile, not one only). */
    private static boolean declaresDatasource(Path module) {
        Path file = module.resolve("src/main/resources/application.properties");
        if (!Files.exists(file)) {
            return false;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("quarkus.datasource.db-kind") != null;
    }
}

package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {

    @Test
    void secretsAreGeneratedOnceAndKeptBetweenRuns(@TempDir Path root) throws Exception {
        LocalSettings first = LocalSettings.load(root);
        LocalSettings second = LocalSettings.load(root);

        assertThat(second.secrets).isEqualTo(first.secrets);
        assertThat(first.secret("context-secret")).hasSizeGreaterThanOrEqualTo(64);
        assertThat(java.util.Base64.getDecoder().decode(first.secret("kdf-salt"))).hasSize(32);
    }

    @Test
    void theSecretsFileIsReadableByItsOwnerOnly(@TempDir Path root) throws Exception {
        LocalSettings.load(root);

        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve(".local/secrets.properties")))).isEqualTo("rw-------");
    }

    @Test
    void everyServiceWithADatabaseIsBootstrapped() {
        assertThat(ServiceModule.databases()).containsExactly("cloudsentinel_budget", "cloudsentinel_jobs",
                "cloudsentinel_scheduler", "cloudsentinel_crypto");
        assertThat(ServiceModule.ALL).extracting(ServiceModule::port).containsExactly(8081, 8082, 8083, 8084, 8080);
    }
}

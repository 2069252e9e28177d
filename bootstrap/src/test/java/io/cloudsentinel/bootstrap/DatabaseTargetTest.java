package io.cloudsentinel.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseTargetTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("CS_BOOTSTRAP_ADMIN_JDBC_URL", "jdbc:postgresql://pg:5432/postgres?sslmode=require");
        env.put("CS_BOOTSTRAP_ADMIN_USER", "postgres");
        env.put("CS_BOOTSTRAP_ADMIN_PASSWORD", " admin secret ");
        env.put("CS_BOOTSTRAP_OWNER_PASSWORD", "owner-pw");
        env.put("CS_BOOTSTRAP_APP_PASSWORD", "app-pw");
        env.put("CS_BOOTSTRAP_DATABASES", " cloudsentinel_budget, cloudsentinel_jobs,,cloudsentinel_budget ");
        return env;
    }

    @Test
    void readsTheAdminConnectionPasswordsAndDatabasesFromTheEnvironment() {
        DatabaseTarget target = DatabaseTarget.fromEnv(complete());

        assertThat(target.adminJdbcUrl()).isEqualTo("jdbc:postgresql://pg:5432/postgres?sslmode=require");
        assertThat(target.adminUser()).isEqualTo("postgres");
        assertThat(target.adminPassword()).as("a password keeps its spaces").isEqualTo(" admin secret ");
        assertThat(target.settings().ownerPassword()).isEqualTo("owner-pw");
        assertThat(target.settings().appPassword()).isEqualTo("app-pw");
        assertThat(target.settings().databases()).containsExactly("cloudsentinel_budget", "cloudsentinel_jobs");
    }

    @Test
    void eachMissingVariableIsNamed() {
        for (String name : complete().keySet()) {
            Map<String, String> env = complete();
            env.remove(name);
            assertThatThrownBy(() -> DatabaseTarget.fromEnv(env))
                    .isInstanceOf(BootstrapConfigException.class)
                    .hasMessage(name + " is required");
        }
    }

    @Test
    void anEmptyPasswordIsMissing() {
        Map<String, String> env = complete();
        env.put("CS_BOOTSTRAP_APP_PASSWORD", "");

        assertThatThrownBy(() -> DatabaseTarget.fromEnv(env)).hasMessage("CS_BOOTSTRAP_APP_PASSWORD is required");
    }

    @Test
    void rejectsADatabaseNameThatIsNotAnIdentifierAndAUrlThatIsNotPostgres() {
        Map<String, String> badName = complete();
        badName.put("CS_BOOTSTRAP_DATABASES", "ok,\"x\"; drop");
        assertThatThrownBy(() -> DatabaseTarget.fromEnv(badName))
                .isInstanceOf(BootstrapConfigException.class)
                .hasMessageStartingWith("CS_BOOTSTRAP_DATABASES: database name '\"x\"; drop'");

        Map<String, String> badUrl = complete();
        badUrl.put("CS_BOOTSTRAP_ADMIN_JDBC_URL", "postgresql://pg/postgres");
        assertThatThrownBy(() -> DatabaseTarget.fromEnv(badUrl)).hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void itsTextNamesNoPassword() {
        assertThat(DatabaseTarget.fromEnv(complete()).toString())
                .contains("postgres", "cloudsentinel_jobs")
                .doesNotContain("admin secret", "owner-pw", "app-pw");
    }
}

package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

/** The optional hook Job that creates the roles and databases with the bootstrap image, before the migrations. */
class BootstrapJobTest {

    static final Map<String, String> ENABLED = Map.of("bootstrap.database.enabled", "true",
            "bootstrap.database.adminSecret.name", "pg-admin");

    @Test
    void isOffByDefault() {
        assertThat(ChartUnderTest.render(ChartUnderTest.TEST_VALUES).ofKind("Job"))
                .noneMatch(job -> "bootstrap-database".equals(Rendered.component(job)));
    }

    @Test
    void runsTheBootstrapImagesDatabaseCommandOnTheMaintenanceDatabaseForEveryServiceDatabase() {
        Map<String, Object> job = ChartUnderTest.render(ChartUnderTest.TEST_VALUES, ENABLED)
                .named("Job", "cs-cloudsentinel-bootstrap-database");
        Map<String, Object> container = Yamls.containers(job).get(0);
        Map<String, String> env = KafkaTopicsTest.env(container);

        assertThat(container.get("image")).isEqualTo("cloudsentinel/bootstrap:0.1.0");
        assertThat(container.get("args")).isEqualTo(List.of("database"));
        assertThat(env.get("CS_BOOTSTRAP_ADMIN_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://postgres.databases.svc:5432/postgres?sslmode=require");
        assertThat(env.get("CS_BOOTSTRAP_DATABASES").split(",")).containsExactlyInAnyOrder("cloudsentinel_budget",
                "cloudsentinel_jobs", "cloudsentinel_scheduler", "cloudsentinel_crypto");
        assertThat(secretRef(container, "CS_BOOTSTRAP_ADMIN_USER")).isEqualTo("pg-admin/username");
        assertThat(secretRef(container, "CS_BOOTSTRAP_ADMIN_PASSWORD")).isEqualTo("pg-admin/password");
        assertThat(secretRef(container, "CS_BOOTSTRAP_OWNER_PASSWORD")).isEqualTo("cs-db-owner/password");
        assertThat(secretRef(container, "CS_BOOTSTRAP_APP_PASSWORD")).isEqualTo("cs-db-app/password");
        assertThat(Yamls.at(job, "spec", "template", "spec", "securityContext", "runAsUser")).isEqualTo(185);
    }

    @Test
    void runsBeforeTheMigrationsAndAfterTheHooksAccount() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES, ENABLED);
        Map<String, Object> bootstrap = rendered.named("Job", "cs-cloudsentinel-bootstrap-database");

        assertThat(Yamls.string(bootstrap, "metadata", "annotations", ChartUnderTest.TEST_HOOK))
                .isEqualTo("pre-install,pre-upgrade");
        int weight = weight(bootstrap);
        assertThat(weight).isGreaterThan(weight(rendered.named("ServiceAccount", "cs-cloudsentinel-hooks")));
        List<Map<String, Object>> migrations = MigrationJobTest.migrations(rendered);
        assertThat(migrations).isNotEmpty().allSatisfy(migration -> assertThat(weight(migration)).isGreaterThan(weight));
    }

    @Test
    void itAndItsNetworkPolicyAreValidForTheKubernetesApi() {
        Rendered rendered = ChartUnderTest.render(List.of(ChartUnderTest.PRODUCTION_VALUES), ENABLED);

        assertThat(KubernetesSchemaTest.SCHEMAS.violations(rendered.named("Job", "cs-cloudsentinel-bootstrap-database")))
                .isEmpty();
        assertThat(KubernetesSchemaTest.SCHEMAS.violations(
                rendered.named("NetworkPolicy", "cs-cloudsentinel-bootstrap-database"))).isEmpty();
    }

    @Test
    void enabledWithoutTheAdministratorsSecretFailsNamingIt() {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES,
                Map.of("bootstrap.database.enabled", "true"));

        assertThat(failure).containsAnyOf("/bootstrap/database/adminSecret/name", "bootstrap.database.adminSecret.name");
    }

    private static int weight(Map<String, Object> hook) {
        return Integer.parseInt(Yamls.string(hook, "metadata", "annotations", ChartUnderTest.TEST_HOOK + "-weight"));
    }

    private static String secretRef(Map<String, Object> container, String variable) {
        Map<String, Object> env = Yamls.list(container, "env").stream()
                .filter(e -> variable.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(variable + " is not set"));
        assertThat(env).as(variable).doesNotContainKey("value");
        return Yamls.string(env, "valueFrom", "secretKeyRef", "name") + "/"
                + Yamls.string(env, "valueFrom", "secretKeyRef", "key");
    }
}

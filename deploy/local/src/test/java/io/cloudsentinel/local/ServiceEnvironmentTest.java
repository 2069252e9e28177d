package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each process of the local stack is given: only what its job needs, as a pod would be. */
class ServiceEnvironmentTest {

    private static final ServiceModule BUDGET = ServiceModule.ALL.get(0);
    private static final ServiceModule JOBS = ServiceModule.ALL.get(1);
    private static final ServiceModule SCHEDULER = ServiceModule.ALL.get(2);
    private static final ServiceModule CRYPTO = ServiceModule.ALL.get(3);
    private static final ServiceModule GATEWAY = ServiceModule.ALL.get(4);

    @Test
    void eachServiceServesHealthAndMetricsOnAManagementPortOfItsOwn(@TempDir Path root) throws Exception {
        LocalSettings settings = LocalSettings.load(root);
        java.util.Set<String> ports = new java.util.HashSet<>();
        for (ServiceModule service : ServiceModule.ALL) {
            Map<String, String> env = part(settings, root).environment(service);
            assertThat(ports.add(env.get("QUARKUS_HTTP_PORT"))).as(service.name()).isTrue();
            assertThat(ports.add(env.get("QUARKUS_MANAGEMENT_PORT"))).as(service.name()).isTrue();
            assertThat(env).containsEntry("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        }
    }

    @Test
    void aServingServiceHasTheAppRoleAndPublicKeysButNoOneElsesPrivateKey(@TempDir Path root) throws Exception {
        LocalSettings settings = LocalSettings.load(root);
        Map<String, String> env = part(settings, root).environment(SCHEDULER);

        assertThat(env).containsEntry("QUARKUS_DATASOURCE_USERNAME", "cs_app")
                .containsEntry("CS_CONTEXT_GATEWAY_KEYS", settings.secret("context-gateway-public"))
                .doesNotContainKeys("CS_CONTEXT_SIGNING_KEY", "CS_CONTEXT_SERVICE_KEYS", "QUARKUS_FLYWAY_USERNAME",
                        "QUARKUS_FLYWAY_PASSWORD");
        for (ServiceModule service : ServiceModule.ALL) {
            assertThat(part(settings, root).environment(service).values()).as(service.name())
                    .doesNotContain(settings.secret("owner-password"));
        }
        assertThat(part(settings, root).environment(JOBS).values())
                .doesNotContain(settings.secret("context-gateway-private"));
    }

    @Test
    void servicesThatCallOthersSignWithTheirOwnKeysWhichOnlyTheirCalleesTrust(@TempDir Path root) throws Exception {
        LocalSettings settings = LocalSettings.load(root);
        ServicesPart part = part(settings, root);

        assertThat(part.environment(JOBS)).containsEntry("CS_CONTEXT_SIGNING_KEY",
                settings.secret("context-job-service-private"));
        assertThat(part.environment(BUDGET)).containsEntry("CS_CONTEXT_SIGNING_KEY",
                settings.secret("context-budget-service-private"))
                .containsEntry("CS_CONTEXT_SERVICE_KEYS", settings.secret("context-job-service-public"));
        assertThat(part.environment(CRYPTO)).doesNotContainKey("CS_CONTEXT_SIGNING_KEY")
                .containsEntry("CS_CONTEXT_SERVICE_KEYS", settings.secret("context-job-service-public") + ","
                        + settings.secret("context-budget-service-public"));
        assertThat(part.environment(GATEWAY)).doesNotContainKey("CS_CONTEXT_SERVICE_KEYS");
    }

    @Test
    void theMigrationRunHasTheOwnersCredentialsAndNoOtherSecret(@TempDir Path root) throws Exception {
        LocalSettings settings = LocalSettings.load(root);
        Map<String, String> env = part(settings, root).migrationEnvironment(JOBS, "cloudsentinel_jobs");

        assertThat(env).containsEntry("QUARKUS_PROFILE", "prod,local,migrate")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "cs_owner")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", settings.secret("owner-password"))
                .containsOnlyKeys("QUARKUS_PROFILE", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                        "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Test
    void theGatewaySignsWithTheGatewayKey(@TempDir Path root) throws Exception {
        LocalSettings settings = LocalSettings.load(root);

        assertThat(part(settings, root).environment(GATEWAY))
                .containsEntry("CS_CONTEXT_SIGNING_KEY", settings.secret("context-gateway-private"));
    }

    private static ServicesPart part(LocalSettings settings, Path root) {
        return new ServicesPart(settings, new Progress(root), "127.0.0.1:9092");
    }
}

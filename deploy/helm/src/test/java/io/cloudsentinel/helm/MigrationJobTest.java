package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

class MigrationJobTest {

    static Stream<Path> valueSets() {
        return Stream.of(ChartUnderTest.TEST_VALUES, ChartUnderTest.PRODUCTION_VALUES);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void oneHookJobPerServiceDatabase(Path values) {
        List<Map<String, Object>> migrations = migrations(ChartUnderTest.render(values));

        assertThat(migrations).extracting(job -> Yamls.string(job, "metadata", "labels", "cloudsentinel.io/service"))
                .containsExactlyInAnyOrder("budget-service", "crypto-service", "job-service", "scheduler-service");
        for (Map<String, Object> job : migrations) {
            assertThat(Yamls.string(job, "metadata", "annotations", ChartUnderTest.TEST_HOOK))
                    .isEqualTo("pre-install,pre-upgrade");
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void aMigrationRunsTheServiceImageInitAndExitAsTheOwner(Path values) {
        String owner = values.equals(ChartUnderTest.PRODUCTION_VALUES) ? "cloudsentinel-pg-owner" : "cs-db-owner";
        for (Map<String, Object> job : migrations(ChartUnderTest.render(values))) {
            String service = Yamls.string(job, "metadata", "labels", "cloudsentinel.io/service");
            Map<String, Object> container = Yamls.containers(job).get(0);
            Map<String, Object> env = Yamls.list(container, "env").stream()
                    .collect(Collectors.toMap(e -> e.get("name").toString(), e -> e));

            assertThat(container.get("image")).isEqualTo("cloudsentinel/" + service + ":0.1.0");
            assertThat(Yamls.string(env.get("QUARKUS_INIT_AND_EXIT"), "value")).isEqualTo("true");
            assertThat(Yamls.string(env.get("QUARKUS_PROFILE"), "value")).endsWith(",migrate");
            assertThat(Yamls.string(env.get("QUARKUS_DATASOURCE_JDBC_URL"), "value"))
                    .startsWith("jdbc:postgresql://").contains("sslmode=");
            assertThat(Yamls.string(env.get("QUARKUS_DATASOURCE_PASSWORD"), "valueFrom", "secretKeyRef", "name"))
                    .isEqualTo(owner);
            // the owner's credentials are the only secret a migration gets
            assertThat(SecretReferenceTest.referencedSecrets(job)).containsExactly(owner);
        }
    }

    /** Hooks run before the release's ConfigMaps exist: a migration must not depend on one. */
    @ParameterizedTest
    @MethodSource("valueSets")
    void hooksUseNoConfigMap(Path values) {
        for (Map<String, Object> job : ChartUnderTest.render(values).ofKind("Job")) {
            assertThat(job.toString()).as(Yamls.string(job, "metadata", "name")).doesNotContain("configMap");
            assertThat(Yamls.string(job, "spec", "template", "spec", "serviceAccountName"))
                    .isEqualTo("cs-cloudsentinel-hooks");
        }
        Map<String, Object> hookAccount = ChartUnderTest.render(values).named("ServiceAccount", "cs-cloudsentinel-hooks");
        // and the account they run as is a hook itself, created before them
        assertThat(Yamls.string(hookAccount, "metadata", "annotations", ChartUnderTest.TEST_HOOK))
                .isEqualTo("pre-install,pre-upgrade");
        assertThat(Integer.parseInt(Yamls.string(hookAccount, "metadata", "annotations",
                ChartUnderTest.TEST_HOOK + "-weight"))).isLessThan(0);
    }

    static List<Map<String, Object>> migrations(Rendered rendered) {
        return rendered.ofKind("Job").stream().filter(job -> "migration".equals(Rendered.component(job))).toList();
    }
}

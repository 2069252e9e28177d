package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.scheduler.rest.StatsResource;
import io.cloudsentinel.scheduler.service.ScheduleBook;
import io.cloudsentinel.scheduler.service.ScheduleStats;
import io.quarkus.test.junit.QuarkusTest;

/** Who may point at whom, read from the compiled classes: arrows go down only, and each class keeps its one job. */
class LayersTest {

    private static final String SERVICE = "io/cloudsentinel/scheduler/service/";

    @Test
    void configHoldsConfigurationAndPointsAtNothingAboveIt() {
        List<Path> config = ClassFiles.inPackage("config");
        assertThat(config).isNotEmpty();
        for (Path classFile : config) {
            assertThat(ClassFiles.read(classFile)).as("%s", classFile.getFileName())
                    .doesNotContain(SERVICE, "io/cloudsentinel/scheduler/rest/",
                            "io/cloudsentinel/scheduler/messaging/");
        }
    }

    @Test
    void useCasesHoldNoSqlOfTheirOwn() {
        // platform's rule: entities in repository/, each statement in the store/ class named for its step
        List<Path> services = ClassFiles.inPackage("service");
        assertThat(services).isNotEmpty();
        for (Path classFile : services) {
            assertThat(ClassFiles.read(classFile)).as("%s", classFile.getFileName())
                    .doesNotContain("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "preparedQuery");
        }
    }

    @Test
    void aTenantsSchedulesNeverTakeTheSystemPath() {
        assertThat(ClassFiles.of(ScheduleBook.class)).contains("inTenant")
                .doesNotContain("asSystem", "io/cloudsentinel/platform/tenant/SystemTask");
    }

    @Test
    void theOperatorsStatsAreAcrossTenantsAndTakeNone() {
        assertThat(ClassFiles.of(ScheduleStats.class)).contains("asSystem")
                .doesNotContain("inTenant", "io/cloudsentinel/platform/tenant/TenantId");
        assertThat(ClassFiles.of(StatsResource.class)).contains(SERVICE + "ScheduleStats")
                .doesNotContain(SERVICE + "ScheduleBook");
    }

    @Test
    void thePureTypesNeedNothingThatBoots() {
        for (Class<?> pure : List.of(ScheduleSlot.class, TierPolicy.class, Tier.class)) {
            assertThat(ClassFiles.of(pure)).as(pure.getSimpleName())
                    .doesNotContain("io/quarkus/", "io/vertx/", "io/smallrye/mutiny/", "jakarta/");
        }
        // and so their tests stay plain unit tests
        for (Class<?> test : List.of(SlotTest.class, TierPolicyTest.class)) {
            assertThat(test.isAnnotationPresent(QuarkusTest.class)).as(test.getSimpleName()).isFalse();
        }
    }
}

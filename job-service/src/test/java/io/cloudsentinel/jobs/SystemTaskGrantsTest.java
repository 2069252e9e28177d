package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.SystemTaskNames;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every system task job-service names is granted what it touches in V2__system_task_grants.sql (PostgreSQL refuses
 * anything else, 42501); the other tests run each task against real rows, so a grant too narrow fails there.
 */
@QuarkusTest
@JobsTestResources
class SystemTaskGrantsTest {

    private record Grant(String task, String table, String access) {
    }

    @Test
    void everySystemTaskTheServiceNamesHasAGrant() throws SQLException {
        Set<String> named = SystemTaskNames.in(Path.of("src/main/java"));
        assertThat(named).as("read from the code").contains("job-claim", "job-end", "job-heartbeat", "job-rescue",
                "job-intake", "job-prune", "job-queue-lag", "job-stats", "tenant-shares");

        assertThat(grants().stream().map(Grant::task).distinct()).containsAll(named);
    }

    @Test
    void theTasksThatOnlyCountReadOnlyTheJobs() throws SQLException {
        assertThat(grants()).filteredOn(grant -> Set.of("job-stats", "job-queue-lag").contains(grant.task()))
                .containsExactlyInAnyOrder(new Grant("job-stats", "jobs", "read"),
                        new Grant("job-queue-lag", "jobs", "read"));
    }

    private static List<Grant> grants() throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (Connection owner = DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
                Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT task, table_name, access FROM cs_system_task_grants")) {
            while (rows.next()) {
                grants.add(new Grant(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        }
        return grants;
    }
}

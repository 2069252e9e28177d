package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.SystemTaskNames;
import io.quarkus.test.junit.QuarkusTest;

/** Every scheduler table with a tenant_id is under forced row-level security that fails closed. */
@QuarkusTest
@SchedulerTestResources
class TenantTablesTest {

    @Test
    void noTenantTableIsUnprotected() {
        assertThat(Db.count("SELECT count(*) FROM cs_unprotected_tenant_tables")).isZero();
    }

    @Test
    void everyKeyOfATenantTableLeadsWithTheTenant() {
        assertThat(Db.count("SELECT count(*) FROM cs_tenant_keys_not_tenant_first")).isZero();
    }

    @Test
    void everySystemTaskTheServiceNamesHasAGrant() throws SQLException {
        Set<String> named = SystemTaskNames.in(Path.of("src/main/java"));
        assertThat(named).as("read from the code").contains("schedule-sweep", "schedule-housekeeping",
                "schedule-stats");
        Set<String> granted = new TreeSet<>();
        try (Connection owner = DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
                Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DISTINCT task FROM cs_system_task_grants")) {
            while (rows.next()) {
                granted.add(rows.getString(1));
            }
        }
        assertThat(granted).containsAll(named);
    }

    @Test
    void theOperatorsStatisticsOnlyRead() {
        assertThat(Db.count("SELECT count(*) FROM cs_system_task_grants WHERE task = 'schedule-stats'")).isEqualTo(4);
        assertThat(Db.count("SELECT count(*) FROM cs_system_task_grants WHERE task = 'schedule-stats'"
                + " AND access <> 'read'")).isZero();
    }

    @Test
    void readingSchedulesWithoutATenantRaises() throws SQLException {
        try (Connection connection = DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM schedules"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("CS001"));
        }
    }
}

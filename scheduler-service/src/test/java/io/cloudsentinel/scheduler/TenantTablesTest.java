package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.testing.PostgresServer;
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
    void readingSchedulesWithoutATenantRaises() throws SQLException {
        try (Connection connection = DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM schedules"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("CS001"));
        }
    }
}

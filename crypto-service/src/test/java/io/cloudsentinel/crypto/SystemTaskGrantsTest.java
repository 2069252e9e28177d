package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SystemTaskNames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every system task crypto-service names declares what it touches (V5__system_task_grants.sql). */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SystemTaskGrantsTest {

    @Test
    void everySystemTaskTheServiceNamesHasAGrant() throws SQLException {
        Set<String> named = SystemTaskNames.in(Path.of("src/main/java"));
        assertThat(named).as("read from the code").contains("keyring");

        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        Set<String> granted = new TreeSet<>();
        try (Connection owner = DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
                Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DISTINCT task FROM cs_system_task_grants")) {
            while (rows.next()) {
                granted.add(rows.getString(1));
            }
        }
        assertThat(granted).containsAll(named);
    }
}

package io.cloudsentinel.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;

/** Raw JDBC connections to the test database as the app or owner role: what an attacker with SQL would have. */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Connection asApp() throws SQLException {
        return connect(DatabaseBootstrap.APP_ROLE, PostgresServer.APP_PASSWORD);
    }

    public static Connection asOwner() throws SQLException {
        return connect(DatabaseBootstrap.OWNER_ROLE, PostgresServer.OWNER_PASSWORD);
    }

    private static Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Server-side prepared statements from the first execution, so that plan caching is exercised.
        properties.setProperty("prepareThreshold", "1");
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        return DriverManager.getConnection(url, properties);
    }
}

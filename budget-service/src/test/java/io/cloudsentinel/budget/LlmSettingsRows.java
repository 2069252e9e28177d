package io.cloudsentinel.budget;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;

/** A tenant's {@code llm_settings} row as stored, read as the owner (in the tenant: the table is under forced RLS). */
final class LlmSettingsRows {

    record Row(String provider, String model, String baseUrl, String apiKeyCiphertext) {
    }

    private LlmSettingsRows() {
    }

    static Optional<Row> of(TenantId tenant) {
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        try (Connection owner = DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD)) {
            try (PreparedStatement enter = owner.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
                enter.setString(1, tenant.toString());
                enter.execute();
            }
            try (PreparedStatement select = owner.prepareStatement(
                    "SELECT provider, model, base_url, api_key_ciphertext FROM llm_settings WHERE tenant_id = ?")) {
                select.setObject(1, tenant.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(new Row(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4))) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.cloudsentinel.jobs;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.SiblingServices;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The real budget-service next to the tests: a tenant's budget and LLM settings set up as its admin would. */
final class BudgetSibling {

    /** A hold as budget-service keeps it, read past row-level security. */
    record HoldRow(UUID id, String idempotencyKey, String model, String status, long inputTokens,
            long maxOutputTokens, Long settledInputTokens, Long settledOutputTokens, Long settledCostMicros) {
    }

    private BudgetSibling() {
    }

    static RequestSpecification asAdmin(TenantId tenant) {
        return given().port(SiblingServices.port(SiblingServices.BUDGET)).contentType(ContentType.JSON)
                .filter(SiblingServices.asGateway(SiblingServices.BUDGET).filter(new TenantContext(tenant,
                        "admin-of-" + tenant, Set.of(Roles.TENANT_ADMIN))));
    }

    static void budget(TenantId tenant, long monthlyLimitMicros) {
        asAdmin(tenant).body("{\"monthlyLimitMicros\": " + monthlyLimitMicros + "}").put("/api/v1/budgets/me")
                .then().statusCode(200);
    }

    /** The tenant's own model: provider, model, base URL and (when not null) its key. */
    static void llmSettings(TenantId tenant, String provider, String model, String baseUrl, String apiKey) {
        String key = apiKey == null ? "" : ", \"apiKey\": \"" + apiKey + "\"";
        asAdmin(tenant).body("{\"provider\": \"" + provider + "\", \"model\": \"" + model + "\", \"baseUrl\": \""
                + baseUrl + "\"" + key + "}").put("/api/v1/llm/settings").then().statusCode(200);
    }

    /** The tenant's holds, oldest first. */
    static List<HoldRow> holds(TenantId tenant) {
        List<HoldRow> holds = new ArrayList<>();
        query("SELECT id, idempotency_key, model, status, input_tokens, max_output_tokens, settled_input_tokens,"
                + " settled_output_tokens, settled_cost_micros FROM budget_holds WHERE tenant_id = '" + tenant
                + "' ORDER BY created_at, id", rows -> {
                    while (rows.next()) {
                        holds.add(new HoldRow(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getLong(5), rows.getLong(6), nullable(rows, 7),
                                nullable(rows, 8), nullable(rows, 9)));
                    }
                });
        return holds;
    }

    /** The ledger entries of a hold by type: HOLD, SETTLE, RELEASE, EXPIRE. */
    static long entries(UUID holdId, String type) {
        long[] count = new long[1];
        query("SELECT count(*) FROM budget_ledger WHERE hold_id = '" + holdId + "' AND entry_type = '" + type + "'",
                rows -> {
                    rows.next();
                    count[0] = rows.getLong(1);
                });
        return count[0];
    }

    /** What the tenant was charged in all: the sum of the ledger's spent deltas. */
    static long spent(TenantId tenant) {
        long[] sum = new long[1];
        query("SELECT coalesce(sum(spent_delta), 0) FROM budget_ledger WHERE tenant_id = '" + tenant + "'", rows -> {
            rows.next();
            sum[0] = rows.getLong(1);
        });
        return sum[0];
    }

    private interface RowsReader {
        void read(ResultSet rows) throws SQLException;
    }

    private static void query(String sql, RowsReader reader) {
        try (Connection admin = PostgresServer.shared().adminConnection(SiblingServices.database(SiblingServices.BUDGET));
                Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            reader.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Long nullable(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}

package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.ZombieScanHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code zombie_scan} run by the worker on FOCUS rows written straight into {@code cost_rows}: a resource billed on
 * each of the last 14 days without consumed quantity is listed; one used on a day, or not billed on a day, is not;
 * a scan replaces the tenant's list and no other tenant's. (Same test resources as CostAnomalyTest: one start.)
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class ZombieScanTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DATABASE = "cloudsentinel_jobs";
    private static final String IDLE = "/api/v1/costs/idle-resources";

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();
    private final LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    private final UUID importId = UUID.randomUUID();
    private long line;

    @Inject
    Worker worker;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    @BeforeEach
    void startWorker() {
        worker.start();
    }

    @AfterEach
    void stopWorker() {
        worker.stop(Duration.ZERO);
    }

    @Test
    void aResourceBilledEveryDayWithoutUsageIsListedAndOneUsedOrMissingADayIsNot() {
        billedDaily(tenant, "vol-idle-small", "0.80", 14, -1, -1);
        billedDaily(tenant, "vol-idle-large", "2.40", 14, -1, -1);
        // no quantity at all on its rows (null), rather than a quantity of 0
        billedDaily(tenant, "eip-unattached", "0.12", 14, -1, -1, true);
        billedDaily(tenant, "i-used-once", "5.00", 14, 6, -1);
        billedDaily(tenant, "vol-missing-a-day", "3.00", 14, -1, 9);
        billedDaily(tenant, "vol-new", "3.00", 13, -1, -1);

        scan(tenant);

        JsonPath listed = Api.as(tenant).get(IDLE).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("idleResources.resourceId")).as("the costliest first")
                .containsExactly("vol-idle-large", "vol-idle-small", "eip-unattached");
        assertThat(listed.getInt("idleResources[0].daysBilled")).isEqualTo(14);
        assertThat(new BigDecimal(listed.getString("idleResources[0].effectiveCost")))
                .isEqualByComparingTo("33.60");
        assertThat(listed.getString("idleResources[0].currency")).isEqualTo("USD");
        assertThat(listed.getString("idleResources[0].service")).isEqualTo("Amazon Elastic Block Store");
        assertThat(listed.getString("idleResources[0].firstDay")).isEqualTo(yesterday.minusDays(13).toString());
        assertThat(listed.getString("idleResources[0].lastDay")).isEqualTo(yesterday.toString());
    }

    @Test
    void aScanReplacesTheTenantsEarlierList() {
        billedDaily(tenant, "vol-idle", "1.00", 14, -1, -1);
        scan(tenant);
        assertThat(idle(tenant)).isOne();

        // the volume is attached again: a day with usage in the window
        sql("UPDATE cost_rows SET consumed_quantity = 24 WHERE tenant_id = '" + tenant + "' AND resource_id ="
                + " 'vol-idle' AND charge_day = DATE '" + yesterday + "'");
        scan(tenant);

        assertThat(idle(tenant)).isZero();
        assertThat(Api.as(tenant).get(IDLE).then().statusCode(200).extract().jsonPath().getList("idleResources"))
                .isEmpty();
    }

    @Test
    void aTenantSeesOnlyItsOwnIdleResourcesAndItsScanLeavesOthersLists() {
        billedDaily(tenant, "vol-of-a", "1.00", 14, -1, -1);
        scan(tenant);
        billedDaily(other, "vol-of-b", "2.00", 14, -1, -1);

        scan(other);

        assertThat(Api.as(other).get(IDLE).then().statusCode(200).extract().jsonPath()
                .getList("idleResources.resourceId")).containsExactly("vol-of-b");
        assertThat(Api.as(tenant).get(IDLE).then().statusCode(200).extract().jsonPath()
                .getList("idleResources.resourceId")).containsExactly("vol-of-a");
    }

    @Test
    void aServiceActingForTheTenantMayNotReadTheList() {
        Api.asService(tenant).get(IDLE).then().statusCode(403).contentType("application/problem+json");
    }

    private static void scan(TenantId tenant) {
        UUID job = Jobs.submit(tenant, ZombieScanHandler.TYPE, "{}");
        await().atMost(WAIT).until(() -> "COMPLETED".equals(JobRows.state(job)));
    }

    private void billedDaily(TenantId tenant, String resource, String dailyCost, int days, int usedOnDay,
            int missingDay) {
        billedDaily(tenant, resource, dailyCost, days, usedOnDay, missingDay, false);
    }

    /**
     * Usage rows of the resource on the {@code days} days that end yesterday (day 0 the first), each with quantity 0
     * (or none) except {@code usedOnDay}, none on {@code missingDay} (-1: no such day).
     */
    private void billedDaily(TenantId tenant, String resource, String dailyCost, int days, int usedOnDay,
            int missingDay, boolean noQuantity) {
        for (int i = 0; i < days; i++) {
            if (i == missingDay) {
                continue;
            }
            LocalDate day = yesterday.minusDays(days - 1 - i);
            String quantity = i == usedOnDay ? "24" : noQuantity ? "NULL" : "0";
            sql("""
                    INSERT INTO cost_rows (tenant_id, source, import_id, file, line, billing_period_start, billing_period_end,
                                           charge_period_start, charge_period_end, charge_day, charge_category,
                                           billing_currency, billed_cost, effective_cost, service_name,
                                           sub_account_id, region_id, resource_id, consumed_quantity, consumed_unit)
                    VALUES ('%s', 'aws-cur', '%s', 1, %d, date_trunc('month', DATE '%s')::timestamp AT TIME ZONE 'UTC',
                            (date_trunc('month', DATE '%s') + interval '1 month')::timestamp AT TIME ZONE 'UTC',
                            DATE '%s'::timestamp AT TIME ZONE 'UTC',
                            (DATE '%s' + 1)::timestamp AT TIME ZONE 'UTC', DATE '%s', 'Usage', 'USD', %s, %s,
                            'Amazon Elastic Block Store', '111122223333', 'us-east-1', '%s', %s, 'GB-Hours')
                    """.formatted(tenant, importId, ++line, day, day, day, day, day, dailyCost, dailyCost, resource,
                    quantity));
        }
    }

    private static long idle(TenantId tenant) {
        return WebhookRows.count("SELECT count(*) FROM cost_idle_resources WHERE tenant_id = '" + tenant + "'");
    }

    /** As the database's administrator, past row-level security: the tests write what the importer would. */
    private static void sql(String statement) {
        try (Connection admin = PostgresServer.shared().adminConnection(DATABASE);
                Statement run = admin.createStatement()) {
            run.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}

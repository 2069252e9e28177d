package io.cloudsentinel.platform.outbox;

import static io.cloudsentinel.platform.Reactive.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.Filter;
import io.restassured.path.json.JsonPath;

/** An operator lists a parked row (without its payload), sends it again, discards it; its key then flows. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class ParkedEventsTest {

    private static final String PARKED = "/probe/outbox/parked";

    @Inject
    TenantTransactions transactions;
    @Inject
    OutboxWriter writer;
    @Inject
    OutboxRelay relay;

    private OutboxRows rows;

    @BeforeEach
    void rows() {
        rows = new OutboxRows(transactions, writer);
    }

    @Test
    void anOperatorListsRetriesAndDiscardsAParkedRowAndOnlyAnOperatorMay() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId tenant = TenantId.random();
        rows.append(tenant, topic, "\"" + "x".repeat(2_000_000) + "\"");
        rows.append(tenant, topic, "\"after\"");
        await(relay::scheduled);
        long id = rows.count("SELECT max(id) FROM cs_outbox WHERE topic = '" + topic + "' AND parked_at IS NOT NULL");

        JsonPath listed;
        try (CapturedLog log = CapturedLog.start()) {
            listed = given().filter(as(Roles.PLATFORM_ADMIN)).queryParam("after", id - 1).when().get(PARKED)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(log.of(TenantTransactions.class, "INFO"))
                    .containsExactly("system task outbox-parked for operator operator-1");
        }
        assertThat(listed.getLong("[0].id")).isEqualTo(id);
        assertThat(listed.getString("[0].topic")).isEqualTo(topic);
        assertThat(listed.getInt("[0].payloadBytes")).isGreaterThan(2_000_000);
        assertThat(listed.getMap("[0]")).doesNotContainKey("payload");

        given().filter(as(Roles.TENANT_ADMIN)).when().get(PARKED).then().statusCode(403);
        given().filter(as(Roles.TENANT_ADMIN)).when().delete(PARKED + "/" + id).then().statusCode(403);

        given().filter(as(Roles.PLATFORM_ADMIN)).when().post(PARKED + "/" + id + "/retry").then().statusCode(204);
        assertThat(rows.count("SELECT count(*) FROM cs_outbox WHERE id = " + id + " AND parked_at IS NULL AND attempts = 0"))
                .isEqualTo(1);
        await(relay::scheduled);
        assertThat(rows.count("SELECT count(*) FROM cs_outbox WHERE id = " + id + " AND parked_at IS NOT NULL"))
                .as("refused again, parked again").isEqualTo(1);

        given().filter(as(Roles.PLATFORM_ADMIN)).when().delete(PARKED + "/" + id).then().statusCode(204);
        await(relay::drain);
        assertThat(rows.count("SELECT count(*) FROM cs_outbox WHERE topic = '" + topic + "'"))
                .as("discarded, and the row behind it sent").isZero();
        given().filter(as(Roles.PLATFORM_ADMIN)).when().delete(PARKED + "/" + id).then().statusCode(404)
                .body("type", equalTo("https://cloudsentinel.dev/problems/parked-row-not-found"));
    }

    private static Filter as(String role) {
        return SignedCalls.asGateway("probe").filter(new TenantContext(TenantId.random(), "operator-1", Set.of(role)));
    }

}

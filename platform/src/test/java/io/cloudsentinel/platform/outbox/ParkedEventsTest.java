package io.cloudsentinel.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;

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
    @Inject
    SignedContextCodec codec;

    @Test
    void anOperatorListsRetriesAndDiscardsAParkedRowAndOnlyAnOperatorMay() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId tenant = TenantId.random();
        append(tenant, topic, "\"" + "x".repeat(2_000_000) + "\"");
        append(tenant, topic, "\"after\"");
        await(relay::scheduled);
        long id = count("SELECT max(id) FROM cs_outbox WHERE topic = '" + topic + "' AND parked_at IS NOT NULL");

        JsonPath listed = given().headers(as(Roles.PLATFORM_ADMIN)).queryParam("after", id - 1).when().get(PARKED)
                .then().statusCode(200).extract().jsonPath();
        assertThat(listed.getLong("[0].id")).isEqualTo(id);
        assertThat(listed.getString("[0].topic")).isEqualTo(topic);
        assertThat(listed.getInt("[0].payloadBytes")).isGreaterThan(2_000_000);
        assertThat(listed.getMap("[0]")).doesNotContainKey("payload");

        given().headers(as(Roles.TENANT_ADMIN)).when().get(PARKED).then().statusCode(403);
        given().headers(as(Roles.TENANT_ADMIN)).when().delete(PARKED + "/" + id).then().statusCode(403);

        given().headers(as(Roles.PLATFORM_ADMIN)).when().post(PARKED + "/" + id + "/retry").then().statusCode(204);
        assertThat(count("SELECT count(*) FROM cs_outbox WHERE id = " + id + " AND parked_at IS NULL AND attempts = 0"))
                .isEqualTo(1);
        await(relay::scheduled);
        assertThat(count("SELECT count(*) FROM cs_outbox WHERE id = " + id + " AND parked_at IS NOT NULL"))
                .as("refused again, parked again").isEqualTo(1);

        given().headers(as(Roles.PLATFORM_ADMIN)).when().delete(PARKED + "/" + id).then().statusCode(204);
        await(relay::drain);
        assertThat(count("SELECT count(*) FROM cs_outbox WHERE topic = '" + topic + "'"))
                .as("discarded, and the row behind it sent").isZero();
        given().headers(as(Roles.PLATFORM_ADMIN)).when().delete(PARKED + "/" + id).then().statusCode(404)
                .body("type", equalTo("https://cloudsentinel.dev/problems/parked-row-not-found"));
    }

    private Map<String, String> as(String role) {
        return codec.sign(new TenantContext(TenantId.random(), "operator-1", Set.of(role)));
    }

    private void append(TenantId tenant, String topic, String payload) {
        await(() -> transactions.inTenant(tenant, connection -> writer.append(connection,
                OutboxMessage.forTenant(topic, EventHeaders.newEvent(tenant, null), payload))));
    }

    private long count(String sql) {
        return await(() -> transactions.asSystem(new SystemTask("outbox-test"), connection -> connection.query(sql)
                .execute().map(rows -> rows.iterator().next().getLong(0))));
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        return work.get().await().atMost(Duration.ofSeconds(30));
    }

}

package io.cloudsentinel.platform.context;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A request's logging MDC (printed on every JSON log line) carries its tenant, request id and trace id. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LogContextTest {

    private static final SignedCalls GATEWAY = SignedCalls.asGateway("probe");

    @Test
    void theTenantRequestAndTraceOfARequestAreInItsLogContext() {
        TenantId tenant = TenantId.random();
        Map<String, String> mdc = given().filter(GATEWAY.filter(new TenantContext(tenant, "alice",
                Set.of(Roles.TENANT_USER))))
                .header("X-Request-Id", "req-7")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .when().get("/probe/log-context").then().statusCode(200).extract().jsonPath().getMap("");

        assertThat(mdc).containsEntry(LogContext.TENANT_ID, tenant.toString())
                .containsEntry(LogContext.REQUEST_ID, "req-7")
                .containsEntry(LogContext.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736")
                .doesNotContainKey("userId");
    }

    @Test
    void anIdThatCouldForgeALogLineIsLeftOut() {
        Map<String, String> mdc = given().filter(GATEWAY.filter(new TenantContext(TenantId.random(), "bob",
                Set.of(Roles.TENANT_USER))))
                .header("X-Request-Id", "x\" level=ERROR")
                .when().get("/probe/log-context").then().statusCode(200).extract().jsonPath().getMap("");

        assertThat(mdc).doesNotContainKey(LogContext.REQUEST_ID).containsKey(LogContext.TENANT_ID);
    }
}

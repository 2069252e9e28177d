package io.cloudsentinel.jobs;

import static io.restassured.RestAssured.given;

import java.util.Set;

import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the service as the gateway would: with a context signed for a tenant. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(TenantId tenant, String... roles) {
        SignedContextCodec codec = Arc.container().instance(SignedContextCodec.class).get();
        return given().headers(codec.sign(new TenantContext(tenant, "user-of-" + tenant,
                roles.length == 0 ? Set.of(Roles.TENANT_USER) : Set.of(roles)))).contentType(ContentType.JSON);
    }
}

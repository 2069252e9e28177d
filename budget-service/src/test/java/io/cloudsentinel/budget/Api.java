package io.cloudsentinel.budget;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the service as the gateway would: with a context signed for a tenant. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Api() {
    }

    public static Map<String, String> headers(TenantId tenant, String... roles) {
        SignedContextCodec codec = Arc.container().instance(SignedContextCodec.class).get();
        return codec.sign(new TenantContext(tenant, "user-of-" + tenant, roles.length == 0
                ? Set.of(Roles.TENANT_USER)
                : Set.of(roles)));
    }

    public static RequestSpecification as(TenantId tenant, String... roles) {
        return given().headers(headers(tenant, roles)).contentType(ContentType.JSON);
    }

    /** Sets the tenant's budget as its admin. */
    public static void budget(TenantId tenant, String json) {
        as(tenant, Roles.TENANT_ADMIN).body(json).when().put("/api/v1/budgets/me").then().statusCode(200);
    }

    public static String authorization(String model, long input, long maxOutput, String key) {
        return String.format("{\"model\":\"%s\",\"inputTokens\":%d,\"maxOutputTokens\":%d,\"idempotencyKey\":\"%s\"}",
                model, input, maxOutput, key);
    }

    /** An asynchronous POST, for real concurrency: many requests in flight at once. */
    public static CompletableFuture<HttpResponse<String>> postAsync(int port, String path, TenantId tenant,
            String json) {
        return sendAsync(port, "POST", path, tenant, json);
    }

    /** An asynchronous request of any method; {@code json} may be null for none. */
    public static CompletableFuture<HttpResponse<String>> sendAsync(int port, String method, String path,
            TenantId tenant, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        headers(tenant).forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

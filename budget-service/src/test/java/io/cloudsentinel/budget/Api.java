package io.cloudsentinel.budget;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.SignedCalls;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Calls the service as the gateway would: each request with a context signed for a tenant, for this service, its
 * method, target and body. A context with the {@code service} role alone is signed with the test service key, as a
 * service acting for the tenant signs it (the gateway's key cannot grant that role).
 */
public final class Api {

    /** The audience contexts are signed for: this service's {@code quarkus.application.name}. */
    public static final String AUDIENCE = "budget-service";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final SignedCalls GATEWAY = SignedCalls.asGateway(AUDIENCE);
    private static final SignedCalls SERVICE = new SignedCalls(ContextTestKeys.SERVICE_PRIVATE, AUDIENCE);

    private Api() {
    }

    /** The context of a user of the tenant with these roles ({@code tenant-user} when none are given). */
    public static TenantContext context(TenantId tenant, String... roles) {
        return new TenantContext(tenant, "user-of-" + tenant, roles.length == 0
                ? Set.of(Roles.TENANT_USER)
                : Set.of(roles));
    }

    /** The signed context headers (and Content-Digest) of one request; {@code body} may be null for none. */
    public static Map<String, String> headers(TenantId tenant, String method, String target, String body,
            String... roles) {
        TenantContext context = context(tenant, roles);
        return signer(context).headers(context, method, target, body);
    }

    /** A request that is signed for the tenant when it is sent, whatever its method, target and body. */
    public static RequestSpecification as(TenantId tenant, String... roles) {
        TenantContext context = context(tenant, roles);
        return given().filter(signer(context).filter(context)).contentType(ContentType.JSON);
    }

    /** A request of a service acting for the tenant (role {@code service} only, signed with the test service key). */
    public static RequestSpecification asService(TenantId tenant) {
        return as(tenant, Roles.SERVICE);
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
            TenantId tenant, String json, String... roles) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        headers(tenant, method, path, json, roles).forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SignedCalls signer(TenantContext context) {
        return context.roles().equals(Set.of(Roles.SERVICE)) ? SERVICE : GATEWAY;
    }
}

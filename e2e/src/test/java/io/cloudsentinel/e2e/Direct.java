package io.cloudsentinel.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SignedCalls;

/**
 * A tenant's calls straight to one process of a service (one that the gateway does not route to, such as a previous
 * release's beside the stack's own), with the context signed as the gateway signs it, with the stack's gateway key.
 */
final class Direct {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final SignedCalls signed;
    private final TenantContext context;

    /** {@code audience}: the service's name, which the context is signed for. */
    Direct(URI base, String audience, Caller caller) {
        this.base = base;
        this.signed = new SignedCalls(SuiteUnderTest.stack().gatewayContextKey(), audience);
        this.context = new TenantContext(TenantId.parse(caller.tenant.toString()), "direct-user",
                Set.copyOf(caller.roles()));
    }

    Caller.Answer get(String path) {
        return call("GET", path, null);
    }

    Caller.Answer post(String path, String json, String... headers) {
        return call("POST", path, json, headers);
    }

    Caller.Answer put(String path, String json) {
        return call("PUT", path, json);
    }

    /** One call, answered within 10 s or failed; {@code headers} are name, value pairs. */
    Caller.Answer call(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        signed.headers(context, method, path, json).forEach(request::header);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Caller.Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

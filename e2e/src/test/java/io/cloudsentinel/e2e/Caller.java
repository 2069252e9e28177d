package io.cloudsentinel.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A user of one tenant, or an operator, calling the suite as product teams do: REST through the gateway with a JWT
 * (minted by the launcher's dev identity provider, which the stack's gateway trusts), JSON in and out.
 */
final class Caller {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final UUID tenant;
    private final List<String> roles;
    private final String token;

    private Caller(UUID tenant, List<String> roles) {
        this.tenant = tenant;
        this.roles = roles;
        this.token = SuiteUnderTest.stack().token(tenant.toString(), roles, Duration.ofHours(2));
    }

    static Caller tenantAdmin(UUID tenant) {
        return new Caller(tenant, List.of("tenant-admin"));
    }

    static Caller tenantUser(UUID tenant) {
        return new Caller(tenant, List.of("tenant-user"));
    }

    /** A platform operator (the operators' issuer): cross-tenant reads and key management. */
    static Caller operator() {
        return new Caller(UUID.randomUUID(), List.of("platform-admin"));
    }

    List<String> roles() {
        return roles;
    }

    /** What the gateway answered. */
    record Answer(int status, String body, HttpResponse<String> response) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Answer get(String path, String... headers) {
        return call("GET", path, null, headers);
    }

    Answer post(String path, Object body, String... headers) {
        return call("POST", path, body, headers);
    }

    Answer put(String path, Object body, String... headers) {
        return call("PUT", path, body, headers);
    }

    Answer delete(String path, String... headers) {
        return call("DELETE", path, null, headers);
    }

    /** Any call; {@code headers} are name, value pairs sent as given (the gateway strips what it must). */
    Answer call(String method, String path, Object body, String... headers) {
        if (body == null) {
            return send(method, path, null, HttpRequest.BodyPublishers.noBody(), headers);
        }
        try {
            return send(method, path, "application/json", HttpRequest.BodyPublishers.ofString(
                    body instanceof String text ? text : JSON.writeValueAsString(body)), headers);
        } catch (IOException e) {
            throw new IllegalArgumentException("not serializable: " + body, e);
        }
    }

    /** A file as the request body, such as a FOCUS export. */
    Answer upload(String path, String contentType, byte[] file, String... headers) {
        return send("POST", path, contentType, HttpRequest.BodyPublishers.ofByteArray(file), headers);
    }

    private Answer send(String method, String path, String contentType, HttpRequest.BodyPublisher body,
            String... headers) {
        URI uri = SuiteUnderTest.stack().url("gateway").resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "tenant " + tenant + " as " + roles;
    }
}

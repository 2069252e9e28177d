package io.cloudsentinel.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A call that bypasses the gateway — no signed context, one whose signature was altered, or one signed for another
 * service — is 401 everywhere.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignedContextRequiredTest {

    private static final String MISMATCH = "the signature of the tenant context does not match this request";

    static Stream<Arguments> endpoints() {
        String encrypt = "{\"purpose\":\"p\",\"plaintext\":\"AA==\"}";
        String decrypt = "{\"purpose\":\"p\",\"ciphertext\":\"cs:v1:AAAA\"}";
        return Stream.of(Arguments.of("POST", "/api/v1/crypto/encrypt", encrypt),
                Arguments.of("POST", "/api/v1/crypto/decrypt", decrypt),
                Arguments.of("POST", "/api/v1/crypto/rewrap", decrypt),
                Arguments.of("POST", "/api/v1/crypto/keys/rotate", "{}"),
                Arguments.of("POST", "/api/v1/crypto/keys/rotate-root", "{}"),
                Arguments.of("PUT", "/api/v1/crypto/keys/policy", "{\"minDecryptionVersion\":1}"),
                Arguments.of("GET", "/api/v1/crypto/keys", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void withoutASignedContextIs401(String method, String path, String body) {
        refused(given(), method, path, body, "the request carries no signed tenant context");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void withOneByteOfTheSignatureChangedIs401(String method, String path, String body) {
        Map<String, String> headers = new HashMap<>(Api.signed(TenantId.random(), "user", method, path, body,
                Roles.PLATFORM_ADMIN));
        headers.put(ContextHeaders.SIGNATURE, flipOneByte(headers.get(ContextHeaders.SIGNATURE)));

        refused(given().headers(headers), method, path, body, MISMATCH);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void aContextSignedForAnotherServiceIs401(String method, String path, String body) {
        Map<String, String> headers = SignedCalls.asGateway("budget-service").headers(
                new TenantContext(TenantId.random(), "user", Set.of(Roles.PLATFORM_ADMIN)), method, path,
                body);

        refused(given().headers(headers), method, path, body, MISMATCH);
    }

    /** {@code <version>=<base64url(signature)>} with the first byte of the signature changed. */
    private static String flipOneByte(String signature) {
        String prefix = signature.substring(0, signature.indexOf('=') + 1);
        byte[] bytes = Base64.getUrlDecoder().decode(signature.substring(prefix.length()));
        bytes[0] ^= 0x01;
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void refused(RequestSpecification request, String method, String path, String body,
            String detail) {
        request.contentType(ContentType.JSON);
        if (body != null) {
            request.body(body);
        }
        request.request(method, path).then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/context-invalid"))
                .body("detail", equalTo(detail));
    }
}

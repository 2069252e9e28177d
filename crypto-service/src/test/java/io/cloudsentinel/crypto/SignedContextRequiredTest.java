package io.cloudsentinel.crypto;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** A call that bypasses the gateway — no signed context, or one whose signature was altered — is 401 everywhere. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignedContextRequiredTest {

    static Stream<Arguments> endpoints() {
        Map<String, Object> encrypt = Map.of("purpose", "p", "plaintext", "AA==");
        Map<String, Object> decrypt = Map.of("purpose", "p", "ciphertext", "cs:v1:AAAA");
        return Stream.of(Arguments.of("POST", "/api/v1/crypto/encrypt", encrypt),
                Arguments.of("POST", "/api/v1/crypto/decrypt", decrypt),
                Arguments.of("POST", "/api/v1/crypto/rewrap", decrypt),
                Arguments.of("POST", "/api/v1/crypto/keys/rotate", Map.of()),
                Arguments.of("PUT", "/api/v1/crypto/keys/policy", Map.of("minDecryptionVersion", 1)),
                Arguments.of("GET", "/api/v1/crypto/keys", Map.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void withoutASignedContextIs401(String method, String path, Map<String, Object> body) {
        refused(given(), method, path, body, "the request carries no signed tenant context");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void withOneByteOfTheSignatureChangedIs401(String method, String path, Map<String, Object> body) {
        Map<String, String> headers = new HashMap<>(Api.signed(TenantId.random(), "user", Roles.PLATFORM_ADMIN));
        headers.put(ContextHeaders.SIGNATURE, flipOneByte(headers.get(ContextHeaders.SIGNATURE)));

        refused(given().headers(headers), method, path, body, "the signature of the tenant context does not match");
    }

    /** {@code v1=<base64url(hmac)>} with the first byte of the HMAC changed. */
    private static String flipOneByte(String signature) {
        String prefix = "v1=";
        byte[] mac = Base64.getUrlDecoder().decode(signature.substring(prefix.length()));
        mac[0] ^= 0x01;
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static void refused(RequestSpecification request, String method, String path, Map<String, Object> body,
            String detail) {
        request.contentType(ContentType.JSON);
        if (!method.equals("GET")) {
            request.body(body);
        }
        request.request(method, path).then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/context-invalid"))
                .body("detail", equalTo(detail));
    }
}

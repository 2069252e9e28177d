package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContentDigest;
import io.cloudsentinel.platform.context.ContextConfigs;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** An upload route streams bodies past the gateway's default limit, signing the digest the client declared. */
@QuarkusTest
@WithTestResource(EdgeTestResource.class)
@TestProfile(StreamedUploadTest.UploadRoute.class)
class StreamedUploadTest {

    private static final String IMPORTS = "/api/v1/budgets/imports";

    public static class UploadRoute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the echo upstream stands in for the service; the route is its own, with its own limit
            return Map.of("cs.gateway.routes.uploads.prefixes", IMPORTS,
                    "cs.gateway.routes.uploads.url", "${cs.gateway.routes.budget.url}",
                    "cs.gateway.routes.uploads.audience", "budget-service",
                    "cs.gateway.routes.uploads.streamed-body", "true",
                    "cs.gateway.routes.uploads.max-body-size", "3M");
        }
    }

    @Test
    void anUploadAboveTheDefaultLimitStreamsThroughWithItsDeclaredDigestSigned() throws Exception {
        byte[] body = filled(2_500_000);
        String digest = ContentDigest.of(body);

        JsonPath seen = given().auth().oauth2(Tokens.of(TenantId.random(), "tenant-admin"))
                .contentType("text/csv").header(ContentDigest.HEADER, digest).body(new ByteArrayInputStream(body))
                .when().post(IMPORTS).then().statusCode(200).extract().jsonPath();

        assertThat(seen.getString("body")).hasSize(body.length);
        Map<String, String> headers = seen.getMap("headers");
        SignedContextCodec budget = new SignedContextCodec(ContextConfigs.receiver("budget-service",
                List.of(ContextTestKeys.GATEWAY_PUBLIC), List.of()));
        SignedContextCodec.Verified verified = budget.verify(name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null),
                "POST", IMPORTS);
        assertThat(verified.contentDigest()).isEqualTo(digest);
    }

    @Test
    void anUploadWithoutAContentDigestIs400() {
        given().auth().oauth2(Tokens.of(TenantId.random(), "tenant-admin")).contentType("text/csv")
                .body(filled(10)).when().post(IMPORTS)
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/content-digest-required"));
    }

    @Test
    void anUploadAboveItsRoutesLimitIs413() {
        byte[] body = filled(3 * 1024 * 1024 + 1);

        given().auth().oauth2(Tokens.of(TenantId.random(), "tenant-admin")).contentType("text/csv")
                .header(ContentDigest.HEADER, ContentDigest.of(body)).body(new ByteArrayInputStream(body))
                .when().post(IMPORTS)
                .then().statusCode(413).contentType(Problem.MEDIA_TYPE).body("maxBytes", equalTo(3 * 1024 * 1024));
    }

    private static byte[] filled(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }
}

package io.cloudsentinel.platform.context;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** An upload read as a stream is checked against its signed digest at its end: a different body is refused. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class StreamedBodyDigestTest {

    private static final String UPLOADS = "/probe/uploads";
    private static final SignedCalls GATEWAY = SignedCalls.asGateway("probe");
    private final TenantContext alice = new TenantContext(TenantId.random(), "alice", Set.of(Roles.TENANT_ADMIN));

    @Test
    void theSignedUploadIsReadToItsEnd() {
        byte[] body = upload('a');

        given().headers(GATEWAY.headers(alice, "POST", UPLOADS, body)).contentType("application/octet-stream")
                .body(body).when().post(UPLOADS)
                .then().statusCode(200).body("bytes", equalTo(body.length));
    }

    @Test
    void anUploadThatDiffersFromItsSignedDigestIsRefusedAtItsEnd() {
        Map<String, String> signed = GATEWAY.headers(alice, "POST", UPLOADS, upload('a'));
        byte[] other = upload('a');
        other[other.length - 1] = 'b';

        given().headers(signed).contentType("application/octet-stream").body(other).when().post(UPLOADS)
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("the request body does not match its signed Content-Digest"));
    }

    private static byte[] upload(char fill) {
        byte[] body = new byte[200_000];
        Arrays.fill(body, (byte) fill);
        return body;
    }
}

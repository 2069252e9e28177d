package io.cloudsentinel.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.Set;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The keys API of the crypto-service sibling ({@link SiblingServices}), called as a platform operator: rotations and
 * the minimum decryption version, for tests of what a service stores sealed. The sibling is shared by every test
 * class of the JVM, so a test that raises the minimum puts it back ({@link #restoreMinimum}) in a finally block.
 */
public final class CryptoSiblingKeys {

    private CryptoSiblingKeys() {
    }

    /** A new newest key version; its number. */
    public static int rotate() {
        return operator().post("/api/v1/crypto/keys/rotate").then().statusCode(200).extract().path("currentVersion");
    }

    public static int minimumVersion() {
        return operator().get("/api/v1/crypto/keys").then().statusCode(200).extract().path("minDecryptionVersion");
    }

    /** Ciphertexts of older versions no longer open (nor rewrap). */
    public static void raiseMinimum(int version) {
        operator().body(Map.of("minDecryptionVersion", version)).put("/api/v1/crypto/keys/policy").then()
                .statusCode(200);
    }

    /** Back to a minimum that may be lower (crypto-service's break-glass path). */
    public static void restoreMinimum(int version) {
        operator().body(Map.of("minDecryptionVersion", version, "breakGlass", true)).put("/api/v1/crypto/keys/policy")
                .then().statusCode(200);
    }

    private static RequestSpecification operator() {
        return given().port(SiblingServices.port(SiblingServices.CRYPTO)).contentType(ContentType.JSON)
                .filter(SiblingServices.asGateway(SiblingServices.CRYPTO).filter(new TenantContext(TenantId.random(),
                        "operator", Set.of(Roles.PLATFORM_ADMIN))));
    }
}

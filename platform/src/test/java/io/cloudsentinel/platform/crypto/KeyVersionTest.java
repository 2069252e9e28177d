package io.cloudsentinel.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class KeyVersionTest {

    @Test
    void aCiphertextOfThisSuiteNamesItsVersion() {
        assertThat(TenantSecrets.keyVersion("cs:v1:AAAA")).hasValue(1);
        assertThat(TenantSecrets.keyVersion("cs:v42:abc_-")).hasValue(42);
    }

    @Test
    void anythingElseHasNone() {
        for (String other : new String[] { null, "", "gAAAAABfernet", "cs:v0:AAAA", "cs:vx:AAAA", "cs:v1",
                "CS:V1:AAAA", "cs:v1234567890:AAAA" }) {
            assertThat(TenantSecrets.keyVersion(other)).as(String.valueOf(other)).isEqualTo(OptionalInt.empty());
        }
    }
}

package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Each reason the prod profile refuses to start, with a message that says how to fix it. */
class KeyMaterialPolicyTest {

    private static final Optional<String> GOOD_KEY = Optional.of("a-long-private-master-key-of-more-than-32-bytes!");
    private static final Optional<String> GOOD_SALT = Optional.of("n1cXYMsXcDZ0Wfa3T3W5pOMtPIlrrd1a3p2T5z7hQ8k=");

    @Test
    void goodMaterialHasNoProblem() {
        assertThat(KeyMaterialPolicy.problems(GOOD_KEY, GOOD_SALT, 600_000)).isEmpty();
    }

    @Test
    void aMissingKey() {
        assertThat(KeyMaterialPolicy.problems(Optional.empty(), GOOD_SALT, 600_000)).singleElement().asString()
                .contains("ENCRYPTION_KEY is not set").contains("openssl rand");
    }

    @Test
    void aShortKey() {
        assertThat(KeyMaterialPolicy.problems(Optional.of("short"), GOOD_SALT, 600_000)).singleElement().asString()
                .contains("shorter than 32 bytes");
    }

    @Test
    void aMissingSalt() {
        assertThat(KeyMaterialPolicy.problems(GOOD_KEY, Optional.empty(), 600_000)).singleElement().asString()
                .contains("KDF_SALT is not set");
    }

    @Test
    void aSaltThatIsNot32Bytes() {
        assertThat(KeyMaterialPolicy.problems(GOOD_KEY, Optional.of("c2hvcnQ="), 600_000)).singleElement()
                .asString().contains("decodes to 5 bytes, not 32");
        assertThat(KeyMaterialPolicy.problems(GOOD_KEY, Optional.of("not base64!"), 600_000)).singleElement()
                .asString().contains("not base64");
    }

    @Test
    void aPublishedKeyOrSalt() {
        assertThat(KeyMaterialPolicy.problems(Optional.of("test-only-encryption-key-0123456789abcdef"), GOOD_SALT,
                600_000)).singleElement().asString().contains("ENCRYPTION_KEY is an example value");
        assertThat(KeyMaterialPolicy.problems(GOOD_KEY, Optional.of("dGVzdC1vbmx5LWtkZi1zYWx0LTAxMjM0NTY3ODlhYmM="),
                600_000)).singleElement().asString().contains("KDF_SALT is an example value");
    }

    @Test
    void tooFewIterations() {
        assertThat(KeyMaterialPolicy.problems(GOOD_KEY, GOOD_SALT, 100_000)).singleElement().asString()
                .contains("use at least 600000");
    }

    @Test
    void noPreviousKeyIsNoProblem() {
        assertThat(KeyMaterialPolicy.previousProblems(Optional.empty(), Optional.empty())).isEmpty();
        assertThat(KeyMaterialPolicy.previousProblems(GOOD_KEY, GOOD_SALT)).isEmpty();
    }

    @Test
    void aPreviousKeyIsHeldToTheRulesOfTheCurrentOne() {
        assertThat(KeyMaterialPolicy.previousProblems(Optional.of("short"), Optional.empty())).singleElement()
                .asString().contains("ENCRYPTION_KEY_PREVIOUS is shorter than 32 bytes");
        assertThat(KeyMaterialPolicy.previousProblems(Optional.of(TestMasterKeys.PREVIOUS), Optional.empty()))
                .singleElement().asString().contains("ENCRYPTION_KEY_PREVIOUS is an example value");
        assertThat(KeyMaterialPolicy.previousProblems(GOOD_KEY, Optional.of("c2hvcnQ="))).singleElement().asString()
                .contains("KDF_SALT_PREVIOUS decodes to 5 bytes, not 32");
    }

    @Test
    void aPreviousSaltWithoutAPreviousKey() {
        assertThat(KeyMaterialPolicy.previousProblems(Optional.empty(), GOOD_SALT)).singleElement().asString()
                .contains("KDF_SALT_PREVIOUS is set but ENCRYPTION_KEY_PREVIOUS is not");
    }

    @Test
    void prodRefusesAnUnsafePreviousKeyAndTheSaltDefaultsToTheCurrentOne() {
        byte[] currentSalt = new byte[32];
        assertThatThrownBy(() -> KeyMaterial.resolvePrevious(Optional.of("short"), Optional.empty(), currentSalt,
                true)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: ENCRYPTION_KEY_PREVIOUS");
        assertThat(KeyMaterial.resolvePrevious(GOOD_KEY, Optional.empty(), currentSalt, true).orElseThrow().salt())
                .isEqualTo(currentSalt);
        assertThat(KeyMaterial.resolvePrevious(Optional.empty(), Optional.empty(), currentSalt, true)).isEmpty();
    }

    @Test
    void prodRefusesToStartAndOtherProfilesOnlyWarn() {
        assertThatThrownBy(() -> KeyMaterial.resolve(Optional.of("short"), GOOD_SALT, 600_000, true, false))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("refusing to start: ");
        assertThat(KeyMaterial.resolve(Optional.of("short-but-tolerated-in-tests-0000000000"), GOOD_SALT, 600_000,
                false, false).iterations()).isEqualTo(600_000);
    }

    @Test
    void devGeneratesItsKeyMaterialOnceAndKeepsIt() {
        KeyMaterial first = KeyMaterial.resolve(Optional.empty(), Optional.empty(), 600_000, false, true);
        KeyMaterial second = KeyMaterial.resolve(Optional.empty(), Optional.empty(), 600_000, false, true);

        assertThat(second.masterKey()).isEqualTo(first.masterKey());
        assertThat(second.salt()).isEqualTo(first.salt()).hasSize(32);
        assertThat(KeyMaterial.DEV_FILE).exists();
    }

    @Test
    void keyMaterialNeverPrintsItsSecrets() {
        KeyMaterial material = KeyMaterial.resolve(GOOD_KEY, GOOD_SALT, 600_000, false, false);
        assertThat(material.toString()).doesNotContain(GOOD_KEY.get()).doesNotContain("n1cXYM");
    }
}

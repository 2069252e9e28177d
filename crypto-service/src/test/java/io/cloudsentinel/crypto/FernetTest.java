package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Fernet specification's own vectors, and tokens that Python's cryptography made like the earlier system. */
class FernetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSpecificationsGenerateAndVerifyVectorsDecrypt() throws IOException {
        for (String file : List.of("spec-generate.json", "spec-verify.json")) {
            for (Map<String, Object> vector : vectors(file)) {
                Fernet.Key key = Fernet.Key.parse((String) vector.get("secret"));
                Optional<Duration> ttl = vector.containsKey("ttl_sec")
                        ? Optional.of(Duration.ofSeconds(((Number) vector.get("ttl_sec")).longValue()))
                        : Optional.empty();

                byte[] plaintext = Fernet.decrypt(List.of(key), (String) vector.get("token"), ttl,
                        OffsetDateTime.parse((String) vector.get("now")).toInstant());

                assertThat(Fernet.utf8(plaintext)).as(file).isEqualTo(vector.get("src"));
            }
        }
    }

    @Test
    void everyInvalidVectorOfTheSpecificationIsRefused() throws IOException {
        List<Map<String, Object>> invalid = vectors("spec-invalid.json");
        assertThat(invalid).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> vector : invalid) {
            Fernet.Key key = Fernet.Key.parse((String) vector.get("secret"));
            assertThatThrownBy(() -> Fernet.decrypt(List.of(key), (String) vector.get("token"),
                    Optional.of(Duration.ofSeconds(((Number) vector.get("ttl_sec")).longValue())),
                    OffsetDateTime.parse((String) vector.get("now")).toInstant()))
                    .as((String) vector.get("desc"))
                    .isInstanceOf(DecryptionFailedException.class);
        }
    }

    @Test
    void tokensOfTheEarlierSystemDecryptWithItsKeyDerivation() throws IOException {
        Map<String, Object> data = legacy();
        byte[] salt = Base64.getDecoder().decode((String) data.get("saltBase64"));
        @SuppressWarnings("unchecked")
        List<String> masters = (List<String>) data.get("masterKeys");
        List<Fernet.Key> keys = masters.stream().map(master -> Fernet.Key.derivedFromMasterKey(master, salt)).toList();
        @SuppressWarnings("unchecked")
        List<Map<String, String>> tokens = (List<Map<String, String>>) data.get("tokens");

        for (Map<String, String> token : tokens) {
            List<Fernet.Key> candidates = token.containsKey("rawKey") ? List.of(Fernet.Key.parse(token.get("rawKey")))
                    : keys;
            byte[] plaintext = Fernet.decrypt(candidates, token.get("token"), Optional.empty(),
                    java.time.Instant.now());
            assertThat(plaintext).isEqualTo(Base64.getDecoder().decode(token.get("plaintextBase64")));
        }
    }

    @Test
    void aTokenUnderAnUnknownKeyIsRefused() throws IOException {
        @SuppressWarnings("unchecked")
        String token = ((List<Map<String, String>>) legacy().get("tokens")).get(1).get("token");
        Fernet.Key stranger = Fernet.Key.derivedFromMasterKey("someone-else", new byte[32]);

        assertThatThrownBy(() -> Fernet.decrypt(List.of(stranger), token, Optional.empty(), java.time.Instant.now()))
                .isInstanceOf(DecryptionFailedException.class);
    }

    static Map<String, Object> legacy() throws IOException {
        try (InputStream in = FernetTest.class.getResourceAsStream("/fernet/legacy-tokens.json")) {
            return JSON.readValue(in, new TypeReference<>() {
            });
        }
    }

    private static List<Map<String, Object>> vectors(String file) throws IOException {
        try (InputStream in = FernetTest.class.getResourceAsStream("/fernet/" + file)) {
            return JSON.readValue(in, new TypeReference<>() {
            });
        }
    }
}

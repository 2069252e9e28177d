package io.cloudsentinel.platform.crypto;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's secrets (provider keys, webhook secrets) sealed and opened by crypto-service, which binds each
 * ciphertext to the tenant and the purpose: this service stores only ciphertexts and holds a plaintext only for the
 * moment of use. Calls are signed as this service acting for the tenant. crypto-service failing, slow or behind an
 * open breaker is a {@link CryptoUnavailableException} after the retries (a 503 problem in REST,
 * {@link CryptoUnavailableMapper}); a refusal (4xx) is a {@link SecretRefusedException} at once. Timeouts, retries
 * and the breaker are MicroProfile Fault Tolerance settings of {@link CryptoCalls}.
 */
@ApplicationScoped
public class TenantSecrets {

    /** crypto-service's ciphertext form: {@code cs:v<N>:<base64url>}. */
    private static final Pattern VERSIONED = Pattern.compile("cs:v([1-9][0-9]{0,8}):");

    private final CryptoCalls calls;

    TenantSecrets(CryptoCalls calls) {
        this.calls = calls;
    }

    /** The ciphertext of a UTF-8 secret for the tenant and purpose. */
    public Uni<String> seal(TenantId tenant, String purpose, String plaintext) {
        return unavailableIfGivenUp(calls.seal(tenant, purpose, plaintext), "encrypt");
    }

    /** The UTF-8 secret a ciphertext of the tenant and purpose holds. */
    public Uni<String> open(TenantId tenant, String purpose, String ciphertext) {
        return unavailableIfGivenUp(calls.open(tenant, purpose, ciphertext), "decrypt");
    }

    /**
     * A Fernet token of the earlier system, rewrapped into a ciphertext of this suite for the tenant: this service
     * is the migration principal that names the tenant (crypto-service never decrypts such tokens to plaintext).
     */
    public Uni<String> rewrapLegacy(TenantId tenant, String purpose, String legacyToken) {
        return rewrap(tenant, purpose, legacyToken);
    }

    /**
     * A stored ciphertext of the tenant and purpose under crypto-service's newest key version (the same secret; the
     * plaintext never leaves crypto-service): what an owner of stored secrets does after a rotation, so that the
     * minimum decryption version can be raised without losing any.
     */
    public Uni<String> rewrap(TenantId tenant, String purpose, String ciphertext) {
        return unavailableIfGivenUp(calls.rewrap(tenant, purpose, ciphertext), "rewrap");
    }

    /** The key version a ciphertext of this suite names ({@code cs:v<N>:…}); empty for anything else. */
    public static OptionalInt keyVersion(String ciphertext) {
        Matcher matcher = ciphertext == null ? null : VERSIONED.matcher(ciphertext);
        return matcher != null && matcher.lookingAt() ? OptionalInt.of(Integer.parseInt(matcher.group(1)))
                : OptionalInt.empty();
    }

    /** A timeout or an open breaker is crypto-service being unavailable too. */
    private static Uni<String> unavailableIfGivenUp(Uni<String> call, String operation) {
        return call.onFailure(FaultToleranceException.class).transform(failure -> new CryptoUnavailableException(
                "crypto-service " + operation + " gave up: " + failure.getClass().getSimpleName(), failure));
    }
}

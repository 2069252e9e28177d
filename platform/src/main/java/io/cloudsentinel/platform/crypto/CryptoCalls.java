package io.cloudsentinel.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * The calls behind {@link TenantSecrets}, each behind MicroProfile Fault Tolerance (timeout, retry with backoff on
 * unavailability only, breaker), whose own exceptions {@link TenantSecrets} turns into
 * {@link CryptoUnavailableException}: the interceptor sits outside these methods, so they cannot.
 */
@ApplicationScoped
class CryptoCalls {

    private final CryptoServiceClient crypto;

    CryptoCalls(@RestClient CryptoServiceClient crypto) {
        this.crypto = crypto;
    }

    /** The ciphertext of a UTF-8 secret for the tenant and purpose. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 200, retryOn = CryptoUnavailableException.class)
    @ExponentialBackoff
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS, failOn = CryptoUnavailableException.class)
    Uni<String> seal(TenantId tenant, String purpose, String plaintext) {
        String encoded = Base64.getEncoder().encodeToString(plaintext.getBytes(StandardCharsets.UTF_8));
        return answered(crypto.encrypt(tenant.toString(), new CryptoServiceClient.Call(purpose, encoded, null)),
                "encrypt").map(CryptoServiceClient.Reply::ciphertext);
    }

    /** The UTF-8 secret a ciphertext of the tenant and purpose holds. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 200, retryOn = CryptoUnavailableException.class)
    @ExponentialBackoff
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS, failOn = CryptoUnavailableException.class)
    Uni<String> open(TenantId tenant, String purpose, String ciphertext) {
        return answered(crypto.decrypt(tenant.toString(), new CryptoServiceClient.Call(purpose, null, ciphertext)),
                "decrypt")
                .map(reply -> new String(Base64.getDecoder().decode(reply.plaintext()), StandardCharsets.UTF_8));
    }

    /**
     * A ciphertext of the tenant and purpose under the newest key version: one of this suite's, or a Fernet token of
     * the earlier system, for which this service is the migration principal that names the tenant (crypto-service
     * never decrypts such tokens to plaintext). The plaintext never leaves crypto-service.
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 200, retryOn = CryptoUnavailableException.class)
    @ExponentialBackoff
    Uni<String> rewrap(TenantId tenant, String purpose, String ciphertext) {
        return answered(crypto.rewrap(tenant.toString(), new CryptoServiceClient.Call(purpose, null, ciphertext)),
                "rewrap").map(CryptoServiceClient.Reply::ciphertext);
    }

    /** Sorts failures into retried (unreachable, 5xx) and final (4xx); neither message holds the secret. */
    private static Uni<CryptoServiceClient.Reply> answered(Uni<CryptoServiceClient.Reply> call, String operation) {
        return call.onFailure().transform(failure -> {
            if (failure instanceof WebApplicationException refused && refused.getResponse() != null
                    && refused.getResponse().getStatus() < 500) {
                return new SecretRefusedException(refused.getResponse().getStatus(),
                        "crypto-service refused " + operation + " (" + refused.getResponse().getStatus() + ")");
            }
            if (failure instanceof WebApplicationException || failure instanceof ProcessingException
                    || failure instanceof java.io.IOException || failure instanceof io.vertx.core.VertxException) {
                return new CryptoUnavailableException("crypto-service " + operation + " failed: "
                        + failure.getClass().getSimpleName(), failure);
            }
            return failure;
        });
    }
}

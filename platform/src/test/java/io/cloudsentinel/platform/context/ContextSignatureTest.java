package io.cloudsentinel.platform.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;

/** The signature every service checks: its wire format, and its reuse of a keyed HMAC under concurrency. */
class ContextSignatureTest {

    private static final byte[] SECRET = "a-test-secret-of-enough-length-0123456789".getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesMadeOnManyThreadsAtOnceAreEachTheHmacOfTheirOwnContext() throws Exception {
        ContextSignature signature = new ContextSignature(SECRET);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<String>>> signers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            signers.add(() -> {
                start.await();
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    TenantContext context = new TenantContext(TenantId.random(), "user-" + i,
                            Set.of("tenant-user", "tenant-admin"));
                    long expires = 1_800_000_000L + i;
                    String signed = signature.sign(context, expires);
                    if (!signed.equals(expected(context, expires))) {
                        wrong.add(context + " " + signed);
                    }
                }
                return wrong;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (Callable<List<String>> signer : signers) {
                results.add(pool.submit(signer));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSignatureMatchesUnderItsOwnSecretOnly() {
        ContextSignature current = new ContextSignature(SECRET);
        ContextSignature other = new ContextSignature("another-secret-of-enough-length-987654321".getBytes(
                StandardCharsets.UTF_8));
        TenantContext context = new TenantContext(TenantId.random(), "alice", Set.of("tenant-user"));
        String signed = current.sign(context, 1_800_000_000L);

        assertThat(ContextSignature.matches(List.of(other, current), context, 1_800_000_000L, signed)).isTrue();
        assertThat(ContextSignature.matches(List.of(other), context, 1_800_000_000L, signed)).isFalse();
        assertThat(ContextSignature.matches(List.of(current), context, 1_800_000_001L, signed)).isFalse();
    }

    /** HMAC-SHA256 over the documented canonical text, with a fresh Mac: what any other implementation computes. */
    private static String expected(TenantContext context, long expires) throws Exception {
        String canonical = "cs-context-v1\n" + context.tenant() + "\n" + context.userId() + "\ntenant-admin,tenant-user\n"
                + expires;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return "v1=" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(canonical.getBytes(
                StandardCharsets.UTF_8)));
    }
}

package io.cloudsentinel.crypto;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.cloudsentinel.platform.tenant.TenantId;

/** JMH: sealing 1 KiB through our envelope (AAD, nonce, format) against bare JCE AES-GCM, the limit. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SealBenchmark {

    private final SecureRandom random = new SecureRandom();
    private SecretKey key;
    private TenantId tenant;
    private byte[] kib;

    @Setup
    public void setUp() {
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        key = new SecretKeySpec(keyBytes, "AES");
        tenant = TenantId.random();
        kib = new byte[1024];
        random.nextBytes(kib);
    }

    @Benchmark
    public Ciphertext envelopeSeal() {
        return Envelope.seal(key, 1, tenant, "bench", kib);
    }

    @Benchmark
    public byte[] rawJceSeal() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return cipher.doFinal(kib);
    }
}

package io.cloudsentinel.crypto.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.Fernet;
import io.cloudsentinel.crypto.config.CryptoConfig;
import io.quarkus.runtime.StartupEvent;

/** The earlier system's Fernet keys, derived once at start-up from LEGACY_ENCRYPTION_KEYS. */
@ApplicationScoped
public class LegacyKeys {

    private static final Logger LOG = Logger.getLogger(LegacyKeys.class);

    private final CryptoConfig config;
    private volatile List<Fernet.Key> keys = List.of();

    public LegacyKeys(CryptoConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        List<String> entries = config.legacyKeys().orElse(List.of()).stream().map(String::strip)
                .filter(entry -> !entry.isEmpty()).toList();
        if (entries.isEmpty()) {
            return;
        }
        byte[] salt = config.legacyKdfSalt().or(config::kdfSalt)
                .map(value -> java.util.Base64.getDecoder().decode(value.strip()))
                .orElseThrow(() -> new IllegalStateException(
                        "refusing to start: LEGACY_ENCRYPTION_KEYS needs LEGACY_KDF_SALT or KDF_SALT"));
        List<Fernet.Key> derived = new ArrayList<>();
        for (String entry : entries) {
            derived.add(entry.startsWith("fernet:") ? Fernet.Key.parse(entry.substring("fernet:".length()))
                    : Fernet.Key.derivedFromMasterKey(entry, salt));
        }
        keys = List.copyOf(derived);
        LOG.infof("%d legacy Fernet key(s) loaded for decrypt and rewrap", keys.size());
    }

    public List<Fernet.Key> keys() {
        return keys;
    }
}

package io.cloudsentinel.gateway;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;

/**
 * How the gateway trusts upstreams it reaches over https: the trust store of the Quarkus TLS configuration named by
 * {@code cs.gateway.upstream-tls} ({@code quarkus.tls.<name>.trust-store.pem.certs=…}, or p12/jks), else the JVM's
 * default one; host names are always verified. Plain http upstreams are unaffected.
 */
@ApplicationScoped
public class UpstreamTls {

    private final TrustOptions trust;

    public UpstreamTls(GatewayConfig config, TlsConfigurationRegistry registry) {
        this.trust = config.upstreamTls().filter(name -> !name.isBlank()).map(name -> {
            TlsConfiguration tls = registry.get(name).orElseThrow(() -> new IllegalArgumentException(
                    "cs.gateway.upstream-tls names " + name + ", which no quarkus.tls." + name + ".* configures"));
            if (tls.getTrustStoreOptions() == null) {
                throw new IllegalArgumentException("quarkus.tls." + name + " has no trust store");
            }
            return tls.getTrustStoreOptions();
        }).orElse(null);
    }

    /** The client options, able to call https upstreams (requests say whether they use TLS). */
    HttpClientOptions trusting(HttpClientOptions options) {
        options.setVerifyHost(true);
        if (trust != null) {
            options.setTrustOptions(trust.copy());
        }
        return options;
    }
}

package io.cloudsentinel.jobs.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code cs.jobs.costs.sources.*}: where tenants' cost sources may point (checked when a source is set and again at
 * every fetch) and how {@code cost_ingestion} fetches them.
 */
@ConfigMapping(prefix = "cs.jobs.costs.sources")
public interface CostSourcesConfig {

    /** Whether a source may be plain http or a loopback, private or link-local address (dev, tests). */
    @WithDefault("false")
    boolean allowPrivate();

    /** Host names or CIDR blocks an operator allows although private; metadata addresses never pass. */
    Optional<List<String>> allowedHosts();

    /** Connecting and the TLS handshake, per file. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** The longest wait for an answer's headers, and then for each next chunk of its body. */
    @WithDefault("60s")
    Duration idleTimeout();

    /** The largest file fetched (as sent, gzip or plain): a larger one fails its import. */
    @WithDefault("5G")
    MemorySize maxFileSize();

    /** The largest AWS Data Exports manifest read (it lists the files and the columns). */
    @WithDefault("4M")
    MemorySize maxManifestSize();

    /** The most data files a manifest may name: more refuses the source's fetch. */
    @WithDefault("500")
    int maxFiles();
}

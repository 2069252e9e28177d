package io.cloudsentinel.jobs.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * Where {@code cost_ingestion} fetches one of a tenant's FOCUS exports. The URL (a presigned or SAS URL is a
 * credential) and the header's value are held only as crypto-service ciphertexts (purpose
 * {@code cost_source_secret}); the URL's host is kept in the clear to show and to log.
 */
@Entity
@Table(name = "cost_sources")
@IdClass(CostSourceKey.class)
public class CostSource {

    /** crypto-service's purpose of a source's URL and header value. */
    public static final String SECRET_PURPOSE = "cost_source_secret";

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Id
    @Column(name = "name")
    String name;

    @Column(name = "url_ciphertext", nullable = false)
    String urlCiphertext;

    @Column(name = "url_host", nullable = false)
    String urlHost;

    @Column(name = "manifest", nullable = false)
    boolean manifest;

    @Column(name = "header_name")
    String headerName;

    @Column(name = "header_ciphertext")
    String headerCiphertext;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected CostSource() {
    }

    /** The sealed parts of a source as a PUT gives them. */
    public record Sealed(String urlCiphertext, String urlHost, boolean manifest, Optional<String> headerName,
            Optional<String> headerCiphertext) {
    }

    public static CostSource of(UUID tenantId, String name, Sealed sealed, Instant at) {
        CostSource source = new CostSource();
        source.tenantId = tenantId;
        source.name = name;
        source.createdAt = at;
        source.replace(sealed, at);
        return source;
    }

    /** A PUT replaces the whole source: a header it leaves out is gone. */
    public void replace(Sealed sealed, Instant at) {
        this.urlCiphertext = sealed.urlCiphertext();
        this.urlHost = sealed.urlHost();
        this.manifest = sealed.manifest();
        this.headerName = sealed.headerName().orElse(null);
        this.headerCiphertext = sealed.headerCiphertext().orElse(null);
        this.updatedAt = at;
    }

    public String name() {
        return name;
    }

    public String urlCiphertext() {
        return urlCiphertext;
    }

    public String urlHost() {
        return urlHost;
    }

    public boolean manifest() {
        return manifest;
    }

    public Optional<String> headerName() {
        return Optional.ofNullable(headerName);
    }

    public Optional<String> headerCiphertext() {
        return Optional.ofNullable(headerCiphertext);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}

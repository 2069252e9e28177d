package io.cloudsentinel.jobs.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A tenant's share of the workers, set by platform admins: its weight among waiting tenants and its cap of running
 * jobs per type. The claim reads the row in its own statement, so a change applies from the next claim on.
 */
@Entity
@Table(name = "tenant_shares")
public class TenantShare {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Column(name = "weight", nullable = false)
    int weight;

    @Column(name = "cap", nullable = false)
    int cap;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected TenantShare() {
    }

    public static TenantShare of(UUID tenantId, int weight, int cap, Instant at) {
        TenantShare share = new TenantShare();
        share.tenantId = tenantId;
        share.change(weight, cap, at);
        return share;
    }

    public void change(int weight, int cap, Instant at) {
        this.weight = weight;
        this.cap = cap;
        this.updatedAt = at;
    }

    public int weight() {
        return weight;
    }

    public int cap() {
        return cap;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}

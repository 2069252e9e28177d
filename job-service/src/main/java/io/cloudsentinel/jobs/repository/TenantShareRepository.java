package io.cloudsentinel.jobs.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Tenants' shares by tenant id; platform admins read and change them on the system path. */
@ApplicationScoped
public class TenantShareRepository implements PanacheRepositoryBase<TenantShare, UUID> {
}

package io.cloudsentinel.jobs.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** A tenant's cost sources; row-level security shows each tenant only its own. */
@ApplicationScoped
public class CostSourceRepository implements PanacheRepositoryBase<CostSource, CostSourceKey> {

    public Uni<CostSource> find(TenantId tenant, String name) {
        return findById(new CostSourceKey(tenant.value(), name));
    }

    /** In name order. */
    public Uni<List<CostSource>> all(TenantId tenant) {
        return find("tenantId = :tenant order by name", Parameters.with("tenant", tenant.value())).list();
    }

    public Uni<Boolean> delete(TenantId tenant, String name) {
        return deleteById(new CostSourceKey(tenant.value(), name));
    }
}

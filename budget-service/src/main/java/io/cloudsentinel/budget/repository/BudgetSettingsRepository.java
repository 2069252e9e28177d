package io.cloudsentinel.budget.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Budget settings by tenant id; row-level security shows each tenant only its own. */
@ApplicationScoped
public class BudgetSettingsRepository implements PanacheRepositoryBase<BudgetSettings, UUID> {
}

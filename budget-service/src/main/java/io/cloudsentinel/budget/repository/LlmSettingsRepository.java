package io.cloudsentinel.budget.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** LLM settings by tenant id; row-level security shows each tenant only its own. */
@ApplicationScoped
public class LlmSettingsRepository implements PanacheRepositoryBase<LlmSettings, UUID> {
}

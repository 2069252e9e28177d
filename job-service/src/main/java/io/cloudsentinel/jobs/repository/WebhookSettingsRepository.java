package io.cloudsentinel.jobs.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Webhook settings by tenant id; row-level security shows each tenant only its own. */
@ApplicationScoped
public class WebhookSettingsRepository implements PanacheRepositoryBase<WebhookSettings, UUID> {
}

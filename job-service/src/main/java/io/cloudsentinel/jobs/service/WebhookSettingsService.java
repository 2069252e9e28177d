package io.cloudsentinel.jobs.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.WebhookEvents;
import io.cloudsentinel.jobs.WebhookProblems;
import io.cloudsentinel.jobs.WebhookSecret;
import io.cloudsentinel.jobs.config.NotificationConfig;
import io.cloudsentinel.jobs.repository.WebhookSettings;
import io.cloudsentinel.jobs.repository.WebhookSettingsRepository;
import io.cloudsentinel.jobs.store.WebhookSecretRotation;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.egress.DestinationGuard;
import io.cloudsentinel.platform.egress.DestinationPolicy;
import io.cloudsentinel.platform.egress.DestinationRefusedException;
import io.cloudsentinel.platform.egress.HostResolver;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A tenant's webhook settings: where notifications go, which event types, and the signing secret. The secret is
 * made here, shown once (on creation and on each rotation) and sealed by crypto-service before anything is written,
 * so a crypto-service that is down changes nothing. The URL passes the same destination policy as deliveries
 * ({@code cs.jobs.notification.allow-private}, {@code allowed-hosts}); deliveries check it again.
 */
@ApplicationScoped
public class WebhookSettingsService {

    /** The settings as the tenant sees them, never a secret. */
    public record Settings(URI url, SortedSet<String> events, Instant createdAt, Optional<Instant> rotatedAt,
            Optional<Instant> previousValidUntil) {
    }

    /** The settings after a PUT; {@code secret} only when this PUT created the webhook. */
    public record Saved(Settings settings, Optional<String> secret) {
    }

    /** A new secret, and until when the one it replaced still signs. */
    public record Rotated(String secret, Instant previousValidUntil) {
    }

    private final TenantTransactions transactions;
    private final WebhookSettingsRepository settings;
    private final WebhookSettingsReader reader;
    private final WebhookSecretRotation rotation;
    private final TenantSecrets secrets;
    private final DestinationGuard guard;
    private final Duration rotationGrace;
    private final Vertx vertx;
    private final Clock clock;

    public WebhookSettingsService(TenantTransactions transactions, WebhookSettingsRepository settings,
            WebhookSettingsReader reader, WebhookSecretRotation rotation, TenantSecrets secrets, Vertx vertx,
            Clock clock, NotificationConfig config, HostResolver resolver) {
        this.transactions = transactions;
        this.settings = settings;
        this.reader = reader;
        this.rotation = rotation;
        this.secrets = secrets;
        this.vertx = vertx;
        this.clock = clock;
        // the resolver deliveries use too: one replaceable lookup for the check here and the check at sending
        this.guard = new DestinationGuard(new DestinationPolicy(config.allowPrivate(),
                config.allowedHosts().orElse(List.of())), resolver);
        this.rotationGrace = config.rotationGrace();
    }

    /**
     * Sets the URL and event types. The first setting creates the webhook with a new secret (in {@link Saved}, the
     * only time it is shown); a later one keeps the secret.
     */
    public Uni<Saved> save(TenantId tenant, String url, Collection<String> events) {
        SortedSet<String> types = eventTypes(events);
        URI destination = uri(url);
        // the guard looks the host up: off the event loop
        return vertx.executeBlocking(() -> guard.check(destination), false)
                .onFailure(DestinationRefusedException.class).transform(failure -> WebhookProblems
                        .destinationRefused(((DestinationRefusedException) failure).reason(), failure.getMessage()))
                .chain(checked -> Uni.createFrom().deferred(() -> change(tenant, destination, types))
                        .chain(changed -> changed.isPresent() ? Uni.createFrom().item(changed.get())
                                : create(tenant, destination, types))
                        // two first settings at once: the one that lost the insert changes the other's row, and
                        // its secret, never stored, is never shown
                        .onFailure(PgErrors::isUniqueViolation).retry().atMost(1));
    }

    public Uni<Settings> show(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()))
                .map(found -> {
                    if (found == null) {
                        throw WebhookProblems.notFound();
                    }
                    return view(found);
                });
    }

    /** Removes the webhook: no notification is queued for the tenant any more. */
    public Uni<Void> delete(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> settings.deleteById(tenant.value())).replaceWithVoid();
    }

    /** A new secret; the current one keeps signing for {@code cs.jobs.notification.rotation-grace}. */
    public Uni<Rotated> rotate(TenantId tenant) {
        return transactions.inTenant(tenant, reader::find).chain(found -> {
            if (found.isEmpty()) {
                throw WebhookProblems.notFound();
            }
            String secret = WebhookSecret.generate();
            return secrets.seal(tenant, WebhookSecret.PURPOSE, secret).chain(ciphertext -> {
                Instant now = now();
                Instant validUntil = now.plus(rotationGrace);
                return transactions.inTenant(tenant,
                        connection -> rotation.rotate(connection, tenant, ciphertext, validUntil, now))
                        .map(rotated -> new Rotated(secret, rotated.orElseThrow(WebhookProblems::notFound)));
            });
        });
    }

    private Uni<Optional<Saved>> change(TenantId tenant, URI url, SortedSet<String> events) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()).map(found -> {
            if (found == null) {
                return Optional.<Saved> empty();
            }
            found.change(url.toString(), events, now());
            return Optional.of(new Saved(view(found), Optional.empty()));
        }));
    }

    private Uni<Saved> create(TenantId tenant, URI url, SortedSet<String> events) {
        String secret = WebhookSecret.generate();
        return secrets.seal(tenant, WebhookSecret.PURPOSE, secret)
                .chain(ciphertext -> transactions.inTenantSession(tenant, session -> settings
                        .persist(WebhookSettings.of(tenant.value(), url.toString(), events, ciphertext, now()))))
                .map(created -> new Saved(view(created), Optional.of(secret)));
    }

    private static SortedSet<String> eventTypes(Collection<String> events) {
        List<String> unknown = events.stream().filter(type -> !WebhookEvents.known(type)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw WebhookProblems.unknownEventTypes(unknown);
        }
        return new TreeSet<>(events);
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw WebhookProblems.destinationRefused("malformed-url", "not an absolute http(s) URL");
        }
    }

    /** To the microsecond, as stored: an answer shows what a later read shows. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private Settings view(WebhookSettings row) {
        Instant now = clock.instant();
        return new Settings(URI.create(row.url()), row.events(), row.createdAt(), row.rotatedAt(),
                row.previousValidUntil().filter(until -> until.isAfter(now)));
    }
}

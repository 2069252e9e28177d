package io.cloudsentinel.jobs.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.config.CostSourcesConfig;
import io.cloudsentinel.jobs.repository.CostSource;
import io.cloudsentinel.jobs.repository.CostSourceRepository;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.egress.CheckedDestination;
import io.cloudsentinel.platform.egress.DestinationGuard;
import io.cloudsentinel.platform.egress.DestinationPolicy;
import io.cloudsentinel.platform.egress.DestinationRefusedException;
import io.cloudsentinel.platform.egress.HostResolver;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A tenant's cost sources: where {@code cost_ingestion} fetches its FOCUS exports. The URL must pass the destination
 * policy ({@code cs.jobs.costs.sources.allow-private}, {@code allowed-hosts}; checked again at every fetch) and is
 * sealed by crypto-service before anything is written, as is the optional header's value, so a crypto-service that is
 * down changes nothing and the table never holds a credential. Only the URL's host is kept in the clear.
 */
@ApplicationScoped
public class CostSources {

    public static final URI INVALID_SOURCE_NAME = ProblemTypes.of("invalid-source-name");
    public static final URI INVALID_HEADER = ProblemTypes.of("invalid-header");
    public static final URI DESTINATION_REFUSED = ProblemTypes.of("destination-refused");
    public static final URI SOURCE_NOT_FOUND = ProblemTypes.of("cost-source-not-found");

    /** The names the table allows. */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    /** An HTTP field name (RFC 9110 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$");
    /** Visible ASCII, spaces and tabs inside; no CR, LF or NUL that would split the request. */
    private static final Pattern HEADER_VALUE = Pattern.compile("^[!-~]([\\t -~]{0,8190}[!-~])?$");
    /** Headers the fetch itself sets, or that would change how the answer is framed. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "connection", "transfer-encoding", "te",
            "upgrade", "keep-alive", "trailer", "expect");

    /** A source as the tenant sees it: never the URL or the header's value. */
    public record View(String name, String host, boolean manifest, Optional<String> headerName, Instant createdAt,
            Instant updatedAt) {

        static View of(CostSource source) {
            return new View(source.name(), source.urlHost(), source.manifest(), source.headerName(),
                    source.createdAt(), source.updatedAt());
        }
    }

    /** A PUT's outcome: whether it created the source or replaced one. */
    public record Saved(View source, boolean created) {
    }

    /** The header a fetch sends, as the tenant gave it. */
    public record Header(String name, String value) {
    }

    private final TenantTransactions transactions;
    private final CostSourceRepository sources;
    private final TenantSecrets secrets;
    private final DestinationGuard guard;
    private final Vertx vertx;
    private final Clock clock;

    public CostSources(TenantTransactions transactions, CostSourceRepository sources, TenantSecrets secrets,
            Vertx vertx, Clock clock, CostSourcesConfig config, HostResolver resolver) {
        this.transactions = transactions;
        this.sources = sources;
        this.secrets = secrets;
        this.vertx = vertx;
        this.clock = clock;
        this.guard = guard(config, resolver);
    }

    /** The policy the sources' URLs pass when set and at every fetch. */
    public static DestinationGuard guard(CostSourcesConfig config, HostResolver resolver) {
        return new DestinationGuard(new DestinationPolicy(config.allowPrivate(), config.allowedHosts().orElse(List.of())),
                resolver);
    }

    /** Creates or replaces the source; the URL and header value are sealed first. */
    public Uni<Saved> save(TenantId tenant, String name, String url, boolean manifest, Optional<Header> header) {
        checkName(name);
        header.ifPresent(CostSources::checkHeader);
        URI destination = uri(url);
        // the guard looks the host up: off the event loop
        return vertx.executeBlocking(() -> guard.check(destination), false)
                .onFailure(DestinationRefusedException.class).transform(failure -> destinationRefused(
                        ((DestinationRefusedException) failure).reason(), failure.getMessage()))
                .chain(checked -> seal(tenant, url, checked, manifest, header))
                .chain(sealed -> Uni.createFrom().deferred(() -> write(tenant, name, sealed))
                        // two first PUTs at once: the one that lost the insert replaces the other's row
                        .onFailure(PgErrors::isUniqueViolation).retry().atMost(1));
    }

    public Uni<List<View>> list(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> sources.all(tenant))
                .map(all -> all.stream().map(View::of).toList());
    }

    public Uni<View> show(TenantId tenant, String name) {
        checkName(name);
        return transactions.inTenantSession(tenant, session -> sources.find(tenant, name)).map(found -> {
            if (found == null) {
                throw notFound(name);
            }
            return View.of(found);
        });
    }

    /** Removes the source; the costs it loaded stay. */
    public Uni<Void> delete(TenantId tenant, String name) {
        checkName(name);
        return transactions.inTenantSession(tenant, session -> sources.delete(tenant, name)).replaceWithVoid();
    }

    private Uni<CostSource.Sealed> seal(TenantId tenant, String url, CheckedDestination checked, boolean manifest,
            Optional<Header> header) {
        Uni<String> sealedUrl = secrets.seal(tenant, CostSource.SECRET_PURPOSE, url);
        if (header.isEmpty()) {
            return sealedUrl.map(ciphertext -> new CostSource.Sealed(ciphertext, checked.host(), manifest,
                    Optional.empty(), Optional.empty()));
        }
        return Uni.combine().all().unis(sealedUrl, secrets.seal(tenant, CostSource.SECRET_PURPOSE,
                header.get().value())).asTuple().map(both -> new CostSource.Sealed(both.getItem1(), checked.host(),
                        manifest, Optional.of(header.get().name()), Optional.of(both.getItem2())));
    }

    private Uni<Saved> write(TenantId tenant, String name, CostSource.Sealed sealed) {
        Instant now = now();
        return transactions.inTenantSession(tenant, session -> sources.find(tenant, name).chain(found -> {
            if (found != null) {
                found.replace(sealed, now);
                return Uni.createFrom().item(new Saved(View.of(found), false));
            }
            return sources.persist(CostSource.of(tenant.value(), name, sealed, now))
                    .map(created -> new Saved(View.of(created), true));
        }));
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ProblemException(Problem.of(INVALID_SOURCE_NAME, 422, "Invalid source name",
                    "a source name is 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit"));
        }
    }

    private static void checkHeader(Header header) {
        if (header.name() == null || !HEADER_NAME.matcher(header.name()).matches()) {
            throw invalidHeader("the header name is not an HTTP field name (1 to 100 token characters)");
        }
        String lower = header.name().toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower) || lower.startsWith("content-")) {
            throw invalidHeader("the header " + header.name() + " is set by the fetch itself and cannot be given");
        }
        // the value is never echoed: it is a credential
        if (header.value() == null || !HEADER_VALUE.matcher(header.value()).matches()) {
            throw invalidHeader("the header value must be 1 to 8192 visible ASCII characters (spaces inside)");
        }
    }

    private static ProblemException invalidHeader(String detail) {
        return new ProblemException(Problem.of(INVALID_HEADER, 422, "Invalid header", detail));
    }

    /** {@code detail} says which host or address and why, never the URL's path, query or credentials. */
    private static ProblemException destinationRefused(String reason, String detail) {
        return new ProblemException(Problem.of(DESTINATION_REFUSED, 422, "Destination refused",
                "the source URL is refused: " + detail).with("reason", reason));
    }

    private static ProblemException notFound(String name) {
        return new ProblemException(Problem.of(SOURCE_NOT_FOUND, 404, "Cost source not found",
                "the tenant has no cost source " + name));
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw destinationRefused("malformed-url", "not an absolute https URL");
        }
    }

    /** To the microsecond, as stored: an answer shows what a later read shows. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}

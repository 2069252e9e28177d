package io.cloudsentinel.budget.rest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetMode;
import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.LedgerEntry;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.budget.service.BudgetService;
import io.cloudsentinel.budget.service.LedgerService;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/budgets/me}: the caller's tenant budget, its counters and its ledger. */
@Path("/api/v1/budgets/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "budgets", description = "The caller's tenant budget, its counters and its ledger")
public class BudgetResource {

    /** One billion USD: far above any real budget, far below where micro-USD arithmetic could overflow. */
    static final long MAX_LIMIT_MICROS = 1_000_000_000_000_000L;

    public record BudgetUpdate(@NotNull @PositiveOrZero @Max(MAX_LIMIT_MICROS) Long monthlyLimitMicros,
            @PositiveOrZero @Max(MAX_LIMIT_MICROS) Long dailyLimitMicros,
            @Min(1) @Max(100) Integer softAlertPercent, BudgetMode mode, String timeZone) {
    }

    public record WindowView(Window window, LocalDate periodStart, Instant periodStartsAt, Instant resetAt,
            long limitMicros, long spentMicros, long reservedMicros, long remainingMicros) {
    }

    public record BudgetView(long monthlyLimitMicros, Long dailyLimitMicros, int softAlertPercent, BudgetMode mode,
            String timeZone, long spentMicros, long reservedMicros, long remainingMicros, Instant resetAt,
            List<WindowView> windows) {
    }

    public record LedgerEntryView(long id, LedgerEntry.Type type, UUID holdId, LocalDate monthStart,
            LocalDate dayStart, long reservedDeltaMicros, long spentDeltaMicros, Instant at) {
    }

    public record LedgerPage(List<LedgerEntryView> entries, String nextCursor) {
    }

    private final BudgetService budgets;
    private final LedgerService ledger;
    private final CurrentTenantContext context;

    public BudgetResource(BudgetService budgets, LedgerService ledger, CurrentTenantContext context) {
        this.budgets = budgets;
        this.ledger = ledger;
        this.context = context;
    }

    @GET
    @Operation(summary = "Show the tenant's budget", description = "The limits, mode and time zone, and for each"
            + " window (month, and day when limited) what is spent, reserved and left, and when it resets.")
    @APIResponseSchema(value = BudgetView.class, responseDescription = "The budget and its windows")
    @APIResponse(responseCode = "403", description = AuthorizationResource.NOT_A_CALLER)
    public Uni<BudgetView> get() {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.SERVICE);
        return budgets.status(context.get().tenant()).map(BudgetResource::view);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the tenant's budget (tenant admin)", description = "Replaces the limits, the soft alert"
            + " threshold, the mode and the IANA time zone the windows follow; what was spent stays.")
    @APIResponseSchema(value = BudgetView.class, responseDescription = "The budget as it is now")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " a limit out of range, a threshold outside 1..100, a time zone that is not an IANA region or that"
            + " PostgreSQL does not know")
    @APIResponse(responseCode = "403", description = "The caller is neither a tenant admin nor a platform admin"
            + " (forbidden)")
    public Uni<BudgetView> put(@Valid @NotNull BudgetUpdate update) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        // Region ids of the tz database only: PostgreSQL computes the periods of an authorization from the same
        // name, and reads offsets such as "+05:00" or "GMT+5" with the opposite (POSIX) sign.
        String zoneId = update.timeZone() == null ? "UTC" : update.timeZone();
        if (!ZoneId.getAvailableZoneIds().contains(zoneId)) {
            throw BudgetProblems.invalid("timeZone", "'" + update.timeZone() + "' is not an IANA time zone");
        }
        ZoneId zone = ZoneId.of(zoneId);
        Budget budget = new Budget(update.monthlyLimitMicros(),
                update.dailyLimitMicros() == null ? OptionalLong.empty() : OptionalLong.of(update.dailyLimitMicros()),
                update.softAlertPercent() == null ? 80 : update.softAlertPercent(),
                update.mode() == null ? BudgetMode.HARD : update.mode(), zone);
        return budgets.update(context.get().tenant(), budget).map(BudgetResource::view);
    }

    @GET
    @Path("/ledger")
    @Operation(summary = "Page through the ledger", description = "Every reservation, settlement and release of the"
            + " tenant between from and to, newest first; nextCursor fetches the following page.")
    @APIResponseSchema(value = LedgerPage.class, responseDescription = "One page of ledger entries")
    @APIResponse(responseCode = "400", description = "from or to is not an ISO-8601 instant, limit is outside"
            + " 1..500, or the cursor is not one this service issued (validation-failed)")
    @APIResponse(responseCode = "403", description = AuthorizationResource.NOT_A_CALLER)
    public Uni<LedgerPage> ledger(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.SERVICE);
        Instant fromInstant = instant("from", from, Instant.EPOCH);
        Instant toInstant = instant("to", to, Instant.parse("9999-12-31T00:00:00Z"));
        int pageSize = limit == null ? 100 : limit;
        if (pageSize < 1 || pageSize > 500) {
            throw BudgetProblems.invalid("limit", "must be between 1 and 500");
        }
        long before = cursor == null ? Long.MAX_VALUE : decodeCursor(cursor);
        return ledger.page(context.get().tenant(), fromInstant, toInstant, before, pageSize)
                .map(entries -> new LedgerPage(entries.stream().map(e -> new LedgerEntryView(e.id(), e.type(),
                        e.holdId().orElse(null), e.monthStart(), e.dayStart().orElse(null), e.reservedDeltaMicros(),
                        e.spentDeltaMicros(), e.at())).toList(),
                        entries.size() == pageSize ? encodeCursor(entries.get(entries.size() - 1).id()) : null));
    }

    private static BudgetView view(BudgetService.BudgetStatus status) {
        Budget budget = status.budget();
        List<WindowView> windows = status.windows().stream().map(state -> windowView(status, state)).toList();
        WindowState month = status.windows().get(0);
        long remaining = windows.stream().mapToLong(WindowView::remainingMicros).min().orElse(0);
        return new BudgetView(budget.monthlyLimitMicros(),
                budget.dailyLimitMicros().isPresent() ? budget.dailyLimitMicros().getAsLong() : null,
                budget.softAlertPercent(), budget.mode(), budget.zone().getId(), month.spentMicros(),
                month.reservedMicros(), remaining, status.periods().resetAt(Window.MONTH), windows);
    }

    private static WindowView windowView(BudgetService.BudgetStatus status, WindowState state) {
        long limit = status.budget().limit(state.window());
        return new WindowView(state.window(), state.periodStart(),
                status.periods().periodStartInstant(state.window()), status.periods().resetAt(state.window()), limit,
                state.spentMicros(), state.reservedMicros(), state.remaining(limit));
    }

    private static Instant instant(String field, String value, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw BudgetProblems.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(id).getBytes());
    }

    private static long decodeCursor(String cursor) {
        try {
            return Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor)));
        } catch (IllegalArgumentException e) {
            throw BudgetProblems.invalid("cursor", "is not a cursor this service issued");
        }
    }
}

package io.cloudsentinel.jobs.rest;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.service.CostQueries;
import io.cloudsentinel.jobs.store.CostSummaryRead;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/costs/summary}: the tenant's costs over days, by currency and one dimension. */
@Path("/api/v1/costs/summary")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "costs", description = "The tenant's cloud costs from FOCUS exports")
public class CostSummaryResource {

    static final int MAX_DAYS = 731;
    private static final int DEFAULT_DAYS = 30;
    private static final String TAG_PREFIX = "tag:";

    @Schema(name = "CostGroup")
    public record Group(@Schema(description = "The dimension's value; '' when the rows have none") String key,
            BigDecimal billedCost, BigDecimal effectiveCost) {
    }

    @Schema(name = "CostCurrency", description = "One currency's sums: amounts are never added across currencies")
    public record Currency(String currency, BigDecimal billedCost, BigDecimal effectiveCost, List<Group> groups) {
    }

    @Schema(name = "CostSummary")
    public record Summary(LocalDate from, LocalDate to, String groupBy, List<Currency> currencies) {
    }

    private final CostQueries queries;
    private final CurrentTenantContext context;
    private final Clock clock;

    public CostSummaryResource(CostQueries queries, CurrentTenantContext context, Clock clock) {
        this.queries = queries;
        this.context = context;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Sum the tenant's costs", description = "BilledCost and EffectiveCost of the days in [from, to)"
            + " (UTC days of ChargePeriodStart; by default the last 30 days and today), per BillingCurrency, grouped by"
            + " service, subAccount, region, chargeCategory, day or tag:<key> (a key declared in the cost settings)."
            + " Answered from the daily aggregates kept at ingestion.")
    @APIResponseSchema(value = Summary.class, responseDescription = "The sums")
    @APIResponse(responseCode = "400", description = "from/to not ISO dates, to not after from, more than 731 days,"
            + " or an unknown groupBy (validation-failed)")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    @APIResponse(responseCode = "422", description = "groupBy names a tag key the tenant did not declare"
            + " (tag-not-declared)")
    public Uni<Summary> summary(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("groupBy") String groupBy) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate end = to == null ? today.plusDays(1) : date("to", to);
        LocalDate start = from == null ? end.minusDays(DEFAULT_DAYS + 1) : date("from", from);
        if (!end.isAfter(start)) {
            throw JobProblems.invalid("to", "must be after from");
        }
        if (ChronoUnit.DAYS.between(start, end) > MAX_DAYS) {
            throw JobProblems.invalid("from", "the range may span at most " + MAX_DAYS + " days");
        }
        String grouping = groupBy == null ? "none" : groupBy;
        Uni<List<CostSummaryRead.Sum>> sums = grouping.startsWith(TAG_PREFIX)
                ? queries.summaryByTag(context.get().tenant(), start, end, tagKey(grouping))
                : queries.summary(context.get().tenant(), start, end, dimension(grouping));
        return sums.map(found -> new Summary(start, end, grouping, currencies(found)));
    }

    private static List<Currency> currencies(List<CostSummaryRead.Sum> sums) {
        Map<String, List<CostSummaryRead.Sum>> byCurrency = new LinkedHashMap<>();
        sums.forEach(sum -> byCurrency.computeIfAbsent(sum.currency(), c -> new ArrayList<>()).add(sum));
        List<Currency> currencies = new ArrayList<>();
        byCurrency.forEach((currency, groups) -> currencies.add(new Currency(currency,
                groups.stream().map(CostSummaryRead.Sum::billedCost).reduce(BigDecimal.ZERO, BigDecimal::add),
                groups.stream().map(CostSummaryRead.Sum::effectiveCost).reduce(BigDecimal.ZERO, BigDecimal::add),
                groups.stream().map(g -> new Group(g.key(), g.billedCost(), g.effectiveCost())).toList())));
        return currencies;
    }

    private static CostSummaryRead.Dimension dimension(String groupBy) {
        return switch (groupBy) {
            case "none" -> CostSummaryRead.Dimension.NONE;
            case "service" -> CostSummaryRead.Dimension.SERVICE;
            case "subAccount" -> CostSummaryRead.Dimension.SUB_ACCOUNT;
            case "region" -> CostSummaryRead.Dimension.REGION;
            case "chargeCategory" -> CostSummaryRead.Dimension.CHARGE_CATEGORY;
            case "day" -> CostSummaryRead.Dimension.DAY;
            default -> throw JobProblems.invalid("groupBy",
                    "must be service, subAccount, region, chargeCategory, day or tag:<key>");
        };
    }

    private static String tagKey(String groupBy) {
        String key = groupBy.substring(TAG_PREFIX.length());
        if (key.isEmpty()) {
            throw JobProblems.invalid("groupBy", "tag: must name a tag key");
        }
        return key;
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeException e) {
            throw JobProblems.invalid(field, "must be an ISO date (yyyy-MM-dd)");
        }
    }
}

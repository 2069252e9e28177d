package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.costs.FocusRow;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Loads one batch of an import's rows with one statement: every column as an array parameter, turned back into rows
 * by {@code unnest}, so that a batch of a thousand rows is one round trip on the reactive pool, inside the import's
 * tenant transaction (COPY would need a JDBC connection beside the pool, entered for the tenant by hand; the benchmark
 * measures what that costs against COPY). Amounts travel as their exact decimal text and are cast to numeric by
 * PostgreSQL.
 */
@ApplicationScoped
public class CostRowBatchInsert {

    private static final String INSERT = """
            INSERT INTO cost_rows (tenant_id, source, import_id, file, line, billing_period_start, billing_period_end,
                                   charge_period_start, charge_period_end, charge_day, charge_category,
                                   billing_currency, billed_cost, effective_cost, service_name, service_category,
                                   provider_name, sub_account_id, region_id, resource_id, consumed_quantity,
                                   consumed_unit, tags)
            SELECT $1, $2, $3, $22, r.line, r.billing_period_start, r.billing_period_end, r.charge_period_start,
                   r.charge_period_end, (r.charge_period_start AT TIME ZONE 'UTC')::date, r.charge_category,
                   r.billing_currency, r.billed_cost::numeric, r.effective_cost::numeric, r.service_name,
                   r.service_category, r.provider_name, r.sub_account_id, r.region_id, r.resource_id,
                   r.consumed_quantity::numeric, r.consumed_unit, r.tags::jsonb
              FROM unnest($4::bigint[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                          $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[])
                   AS r(line, billing_period_start, billing_period_end, charge_period_start, charge_period_end,
                        charge_category, billing_currency, billed_cost, effective_cost, service_name,
                        service_category, provider_name, sub_account_id, region_id, resource_id, consumed_quantity,
                        consumed_unit, tags)
            """;

    private final ObjectMapper json;

    public CostRowBatchInsert(ObjectMapper json) {
        this.json = json;
    }

    /** @param file the file's place in its import, from 1 */
    public Uni<Void> insert(SqlClient connection, TenantId tenant, String source, UUID importId, int file,
            List<FocusRow> rows) {
        int n = rows.size();
        Long[] line = new Long[n];
        OffsetDateTime[] billingStart = new OffsetDateTime[n];
        OffsetDateTime[] billingEnd = new OffsetDateTime[n];
        OffsetDateTime[] chargeStart = new OffsetDateTime[n];
        OffsetDateTime[] chargeEnd = new OffsetDateTime[n];
        String[] category = new String[n];
        String[] currency = new String[n];
        String[] billed = new String[n];
        String[] effective = new String[n];
        String[] service = new String[n];
        String[] serviceCategory = new String[n];
        String[] provider = new String[n];
        String[] subAccount = new String[n];
        String[] region = new String[n];
        String[] resource = new String[n];
        String[] quantity = new String[n];
        String[] unit = new String[n];
        String[] tags = new String[n];
        for (int i = 0; i < n; i++) {
            FocusRow row = rows.get(i);
            line[i] = row.line();
            billingStart[i] = utc(row.billingPeriodStart());
            billingEnd[i] = utc(row.billingPeriodEnd());
            chargeStart[i] = utc(row.chargePeriodStart());
            chargeEnd[i] = utc(row.chargePeriodEnd());
            category[i] = row.chargeCategory();
            currency[i] = row.billingCurrency();
            billed[i] = row.billedCost().toPlainString();
            effective[i] = row.effectiveCost().toPlainString();
            service[i] = row.serviceName();
            serviceCategory[i] = row.serviceCategory();
            provider[i] = row.providerName();
            subAccount[i] = row.subAccountId();
            region[i] = row.regionId();
            resource[i] = row.resourceId();
            quantity[i] = row.consumedQuantity() == null ? null : row.consumedQuantity().toPlainString();
            unit[i] = row.consumedUnit();
            tags[i] = tagsJson(row);
        }
        Tuple arguments = Tuple.tuple().addValue(tenant.value()).addValue(source).addValue(importId)
                .addValue(line).addValue(billingStart).addValue(billingEnd).addValue(chargeStart).addValue(chargeEnd)
                .addValue(category).addValue(currency).addValue(billed).addValue(effective).addValue(service)
                .addValue(serviceCategory).addValue(provider).addValue(subAccount).addValue(region)
                .addValue(resource).addValue(quantity).addValue(unit).addValue(tags).addValue(file);
        return connection.preparedQuery(INSERT).execute(arguments).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private String tagsJson(FocusRow row) {
        if (row.tags().isEmpty()) {
            return "{}";
        }
        try {
            return json.writeValueAsString(row.tags());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags of line " + row.line() + " do not serialise", e);
        }
    }
}

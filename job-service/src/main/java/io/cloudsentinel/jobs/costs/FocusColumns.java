package io.cloudsentinel.jobs.costs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The FOCUS columns cost ingestion reads, spelled exactly as the FOCUS specification spells them (header names are
 * matched case-sensitively, untrimmed). Accepted FOCUS versions: 1.0, 1.1 and 1.2 — every column below exists, with the
 * same name and meaning, in all three. Any other column is ignored: AWS's "FOCUS 1.2 with AWS columns" adds
 * {@code x_}/{@code aws_} columns, Azure's FocusCost export adds {@code x_} columns, later FOCUS versions add more.
 */
public final class FocusColumns {

    public static final String BILLED_COST = "BilledCost";
    public static final String EFFECTIVE_COST = "EffectiveCost";
    public static final String BILLING_CURRENCY = "BillingCurrency";
    public static final String BILLING_PERIOD_START = "BillingPeriodStart";
    public static final String BILLING_PERIOD_END = "BillingPeriodEnd";
    public static final String CHARGE_PERIOD_START = "ChargePeriodStart";
    public static final String CHARGE_PERIOD_END = "ChargePeriodEnd";
    public static final String CHARGE_CATEGORY = "ChargeCategory";
    public static final String SERVICE_NAME = "ServiceName";
    public static final String SERVICE_CATEGORY = "ServiceCategory";
    public static final String PROVIDER_NAME = "ProviderName";
    public static final String SUB_ACCOUNT_ID = "SubAccountId";
    public static final String REGION_ID = "RegionId";
    public static final String RESOURCE_ID = "ResourceId";
    public static final String CONSUMED_QUANTITY = "ConsumedQuantity";
    public static final String CONSUMED_UNIT = "ConsumedUnit";
    public static final String TAGS = "Tags";

    /** The FOCUS versions whose exports this reader takes. */
    public static final List<String> ACCEPTED_VERSIONS = List.of("1.0", "1.1", "1.2");

    /** Must be in the header and non-empty in every row: without them a row cannot be priced, dated or grouped. */
    public static final List<String> REQUIRED = List.of(BILLED_COST, EFFECTIVE_COST, BILLING_CURRENCY,
            BILLING_PERIOD_START, BILLING_PERIOD_END, CHARGE_PERIOD_START, CHARGE_PERIOD_END, CHARGE_CATEGORY,
            SERVICE_NAME);

    /**
     * Read when present; empty values are allowed (FOCUS leaves them null for credits, taxes, purchases). A header may
     * lack them too: their values are then empty.
     */
    public static final List<String> OPTIONAL = List.of(SERVICE_CATEGORY, PROVIDER_NAME, SUB_ACCOUNT_ID, REGION_ID,
            RESOURCE_ID, CONSUMED_QUANTITY, CONSUMED_UNIT, TAGS);

    private static final Set<String> READ = Set.copyOf(concat(REQUIRED, OPTIONAL));

    private FocusColumns() {
    }

    /** The required columns the header lacks, in {@link #REQUIRED} order; empty when the header is usable. */
    public static List<String> missingRequired(Collection<String> header) {
        Set<String> present = Set.copyOf(header);
        return REQUIRED.stream().filter(column -> !present.contains(column)).toList();
    }

    /** Whether this reader uses the column (else it is ignored). */
    public static boolean isRead(String column) {
        return READ.contains(column);
    }

    /** The header's columns this reader ignores (provider extensions, columns of other FOCUS versions). */
    public static List<String> ignored(Collection<String> header) {
        return header.stream().filter(column -> !isRead(column)).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

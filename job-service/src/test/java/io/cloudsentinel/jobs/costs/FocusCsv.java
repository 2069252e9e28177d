package io.cloudsentinel.jobs.costs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Writes FOCUS CSV text in a given column order, quoting as RFC 4180 does; columns a row does not name stay empty. */
public final class FocusCsv {

    /** Columns of AWS Data Exports "FOCUS 1.2 with AWS columns", in its order (a subset, plus AWS's extras). */
    public static final List<String> AWS_COLUMNS = List.of("AvailabilityZone", "BilledCost", "BillingAccountId",
            "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory",
            "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
            "CommitmentDiscountId", "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "EffectiveCost",
            "InvoiceIssuerName", "ListCost", "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName",
            "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
            "ServiceCategory", "ServiceName", "ServiceSubcategory", "SkuId", "SubAccountId", "SubAccountName", "Tags",
            "x_CostCategories", "x_Discounts", "x_Operation", "x_ServiceCode", "x_UsageType",
            "aws_BillingEntity");

    /** Columns of Azure Cost Management's FocusCost export (FOCUS 1.0), in its order, with its x_ extras. */
    public static final List<String> AZURE_COLUMNS = List.of("AvailabilityZone", "BilledCost", "BillingAccountId",
            "BillingAccountName", "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
            "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd",
            "ChargePeriodStart", "CommitmentDiscountCategory", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
            "EffectiveCost", "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity",
            "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName",
            "ResourceType", "ServiceCategory", "ServiceName", "SkuId", "SubAccountId", "SubAccountName",
            "SubAccountType", "Tags", "x_AccountName", "x_BilledCostInUsd", "x_BillingProfileId", "x_CostCenter",
            "x_EffectiveCostInUsd", "x_ResourceGroupName", "x_SkuMeterCategory");

    private final List<String> columns;
    private final StringBuilder text = new StringBuilder();

    public FocusCsv(List<String> columns) {
        this.columns = columns;
        text.append(line(columns));
    }

    public FocusCsv row(Map<String, String> values) {
        text.append(line(columns.stream().map(c -> values.getOrDefault(c, c.startsWith("x_") ? "extra" : ""))
                .toList()));
        return this;
    }

    /** A line written as is, for malformed input. */
    public FocusCsv raw(String line) {
        text.append(line).append('\n');
        return this;
    }

    public String text() {
        return text.toString();
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String line(List<String> values) {
        return values.stream().map(FocusCsv::quote).collect(Collectors.joining(",")) + "\n";
    }

    static String quote(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}

package io.cloudsentinel.jobs.costs;

import static io.cloudsentinel.jobs.costs.FocusColumns.BILLED_COST;
import static io.cloudsentinel.jobs.costs.FocusColumns.BILLING_CURRENCY;
import static io.cloudsentinel.jobs.costs.FocusColumns.BILLING_PERIOD_END;
import static io.cloudsentinel.jobs.costs.FocusColumns.BILLING_PERIOD_START;
import static io.cloudsentinel.jobs.costs.FocusColumns.CHARGE_CATEGORY;
import static io.cloudsentinel.jobs.costs.FocusColumns.CHARGE_PERIOD_END;
import static io.cloudsentinel.jobs.costs.FocusColumns.CHARGE_PERIOD_START;
import static io.cloudsentinel.jobs.costs.FocusColumns.CONSUMED_QUANTITY;
import static io.cloudsentinel.jobs.costs.FocusColumns.CONSUMED_UNIT;
import static io.cloudsentinel.jobs.costs.FocusColumns.EFFECTIVE_COST;
import static io.cloudsentinel.jobs.costs.FocusColumns.PROVIDER_NAME;
import static io.cloudsentinel.jobs.costs.FocusColumns.REGION_ID;
import static io.cloudsentinel.jobs.costs.FocusColumns.RESOURCE_ID;
import static io.cloudsentinel.jobs.costs.FocusColumns.SERVICE_CATEGORY;
import static io.cloudsentinel.jobs.costs.FocusColumns.SERVICE_NAME;
import static io.cloudsentinel.jobs.costs.FocusColumns.SUB_ACCOUNT_ID;
import static io.cloudsentinel.jobs.costs.FocusColumns.TAGS;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Turns one CSV row (column name → text) into a {@link FocusRow}, or refuses it naming every column that failed and its
 * value. Currency codes are ISO 4217 as FOCUS requires, upper-case: {@code usd} is refused like {@code XYZ}, since a
 * code that needs guessing is not one the exports write.
 */
final class FocusRowCheck {

    /** Values quoted in a reason are cut to this many characters: a reason must stay readable and storable. */
    static final int MAX_VALUE_IN_REASON = 100;

    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    /** Strict JSON for Tags: a duplicate key is an error, not a silent last-one-wins. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Either an accepted row or a rejected one. */
    sealed interface Outcome permits Accepted, Rejected {
    }

    record Accepted(FocusRow row) implements Outcome {
    }

    record Rejected(RejectedRow row) implements Outcome {
    }

    /** The most characters the read values of one row may hold together. */
    static final int MAX_ROW_CHARACTERS = 65_536;
    static final int MAX_INTEGER_DIGITS = 24;
    static final int MAX_FRACTION_DIGITS = 24;
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private FocusRowCheck() {
    }

    static Outcome check(long line, Map<String, String> values) {
        Problems problems = new Problems();
        // what PostgreSQL would refuse, or what would take memory out of proportion, is the row's fault, found here
        long length = 0;
        for (Map.Entry<String, String> value : values.entrySet()) {
            if (value.getValue() != null && FocusColumns.isRead(value.getKey())) {
                length += value.getValue().length();
                if (value.getValue().indexOf('\u0000') >= 0) {
                    problems.add(value.getKey() + ": contains a NUL character");
                }
            }
        }
        if (length > MAX_ROW_CHARACTERS) {
            return new Rejected(new RejectedRow(line, "the row's values hold " + length + " characters, more than "
                    + MAX_ROW_CHARACTERS));
        }
        BigDecimal billedCost = problems.decimal(BILLED_COST, required(values, BILLED_COST, problems));
        BigDecimal effectiveCost = problems.decimal(EFFECTIVE_COST, required(values, EFFECTIVE_COST, problems));
        String currency = problems.currency(required(values, BILLING_CURRENCY, problems));
        Instant billingStart = problems.instant(BILLING_PERIOD_START,
                required(values, BILLING_PERIOD_START, problems));
        Instant billingEnd = problems.instant(BILLING_PERIOD_END, required(values, BILLING_PERIOD_END, problems));
        Instant chargeStart = problems.instant(CHARGE_PERIOD_START, required(values, CHARGE_PERIOD_START, problems));
        Instant chargeEnd = problems.instant(CHARGE_PERIOD_END, required(values, CHARGE_PERIOD_END, problems));
        String chargeCategory = required(values, CHARGE_CATEGORY, problems);
        String serviceName = required(values, SERVICE_NAME, problems);
        BigDecimal consumedQuantity = problems.decimal(CONSUMED_QUANTITY, optional(values, CONSUMED_QUANTITY));
        Map<String, String> tags = problems.tags(optional(values, TAGS));

        if (billingStart != null && billingEnd != null && !billingEnd.isAfter(billingStart)) {
            problems.add(BILLING_PERIOD_END + " " + cut(values.get(BILLING_PERIOD_END)) + " is not after "
                    + BILLING_PERIOD_START + " " + cut(values.get(BILLING_PERIOD_START)));
        }
        // equal charge bounds occur for one-time charges; only an end before the start is impossible
        if (chargeStart != null && chargeEnd != null && chargeEnd.isBefore(chargeStart)) {
            problems.add(CHARGE_PERIOD_END + " " + cut(values.get(CHARGE_PERIOD_END)) + " is before "
                    + CHARGE_PERIOD_START + " " + cut(values.get(CHARGE_PERIOD_START)));
        }
        if (!problems.list.isEmpty()) {
            return new Rejected(new RejectedRow(line, String.join("; ", problems.list)));
        }
        return new Accepted(new FocusRow(line, billedCost, effectiveCost, currency, billingStart, billingEnd,
                chargeStart, chargeEnd, chargeCategory, serviceName,
                optional(values, SERVICE_CATEGORY), optional(values, PROVIDER_NAME), optional(values, SUB_ACCOUNT_ID),
                optional(values, REGION_ID), optional(values, RESOURCE_ID), consumedQuantity,
                optional(values, CONSUMED_UNIT), tags));
    }

    private static String required(Map<String, String> values, String column, Problems problems) {
        String value = optional(values, column);
        if (value == null) {
            problems.add(column + ": required value is empty");
        }
        return value;
    }

    /** The trimmed value, or null when the column is absent or blank. */
    private static String optional(Map<String, String> values, String column) {
        String value = values.get(column);
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    static String cut(String value) {
        if (value == null) {
            return "\"\"";
        }
        String shown = value.length() > MAX_VALUE_IN_REASON ? value.substring(0, MAX_VALUE_IN_REASON) + "…" : value;
        return '"' + shown + '"';
    }

    /** Collects each failing column; every parse returns null on failure so that one row reports all its faults. */
    private static final class Problems {
        final List<String> list = new ArrayList<>(2);

        void add(String problem) {
            list.add(problem);
        }

        BigDecimal decimal(String column, String text) {
            if (text == null) {
                return null;
            }
            BigDecimal number;
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                add(column + ": not a decimal number: " + cut(text));
                return null;
            }
            // an exponent such as 1E+100000000 is a tiny BigDecimal and a 100 MB numeral: bounded before it is printed
            if (number.precision() - number.scale() > MAX_INTEGER_DIGITS || number.scale() > MAX_FRACTION_DIGITS) {
                add(column + ": out of range (at most " + MAX_INTEGER_DIGITS + " digits before the point and "
                        + MAX_FRACTION_DIGITS + " after): " + cut(text));
                return null;
            }
            return number;
        }

        String currency(String code) {
            if (code == null) {
                return null;
            }
            if (!ISO_4217.contains(code)) {
                add(BILLING_CURRENCY + ": not an ISO 4217 currency code: " + cut(code));
                return null;
            }
            return code;
        }

        Instant instant(String column, String text) {
            if (text == null) {
                return null;
            }
            try {
                Instant instant = FocusDateTime.parse(text);
                if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
                    add(column + ": out of range (years 1900 to 9999): " + cut(text));
                    return null;
                }
                return instant;
            } catch (DateTimeException e) {
                add(column + ": not a FOCUS datetime (ISO 8601, UTC unless an offset is given): " + cut(text));
                return null;
            }
        }

        Map<String, String> tags(String text) {
            if (text == null) {
                return Map.of();
            }
            try {
                JsonNode node = JSON.readTree(text);
                if (node == null || !node.isObject()) {
                    add(TAGS + ": not a JSON object: " + cut(text));
                    return Map.of();
                }
                Map<String, String> tags = new HashMap<>();
                for (Map.Entry<String, JsonNode> tag : node.properties()) {
                    JsonNode value = tag.getValue();
                    if (value.isContainerNode()) {
                        add(TAGS + ": value of tag " + cut(tag.getKey()) + " is not a string: " + cut(text));
                        return Map.of();
                    }
                    // FOCUS allows a tag key without a value
                    tags.put(tag.getKey(), value.isNull() ? "" : value.asText());
                }
                return tags;
            } catch (IOException e) {
                add(TAGS + ": not valid JSON: " + cut(text));
                return Map.of();
            }
        }
    }
}

package io.cloudsentinel.jobs.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FocusReaderTest {

    private static final String AWS_START = "2025-03-01T00:00:00.000Z";
    private static final String AWS_END = "2025-04-01T00:00:00.000Z";

    /** A valid usage row in AWS's datetime form; tests overwrite the columns they vary. */
    private static Map<String, String> awsRow(String effectiveCost, String currency) {
        Map<String, String> row = new HashMap<>();
        row.put("BilledCost", effectiveCost);
        row.put("EffectiveCost", effectiveCost);
        row.put("BillingCurrency", currency);
        row.put("BillingPeriodStart", AWS_START);
        row.put("BillingPeriodEnd", AWS_END);
        row.put("ChargePeriodStart", "2025-03-05T00:00:00.000Z");
        row.put("ChargePeriodEnd", "2025-03-05T01:00:00.000Z");
        row.put("ChargeCategory", "Usage");
        row.put("ServiceName", "Amazon Elastic Compute Cloud");
        row.put("ServiceCategory", "Compute");
        row.put("ProviderName", "AWS");
        row.put("SubAccountId", "123456789012");
        row.put("RegionId", "eu-west-1");
        row.put("ResourceId", "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc");
        row.put("ConsumedQuantity", "1");
        row.put("ConsumedUnit", "Hrs");
        row.put("Tags", "{\"user:team\":\"finops\",\"user:env\":\"prod\"}");
        row.put("x_ServiceCode", "AmazonEC2");
        row.put("x_UsageType", "EUW1-BoxUsage:m5.large");
        row.put("aws_BillingEntity", "AWS");
        return row;
    }

    private static Map<String, String> azureRow(String effectiveCost, String currency) {
        Map<String, String> row = new HashMap<>();
        row.put("BilledCost", effectiveCost);
        row.put("EffectiveCost", effectiveCost);
        row.put("BillingCurrency", currency);
        row.put("BillingPeriodStart", "2025-03-01T00:00:00");
        row.put("BillingPeriodEnd", "2025-04-01T00:00:00");
        row.put("ChargePeriodStart", "2025-03-07T00:00:00");
        row.put("ChargePeriodEnd", "2025-03-08T00:00:00");
        row.put("ChargeCategory", "Usage");
        row.put("ServiceName", "Virtual Machines");
        row.put("ServiceCategory", "Compute");
        row.put("ProviderName", "Microsoft");
        row.put("SubAccountId", "/subscriptions/00000000-0000-0000-0000-000000000001");
        row.put("RegionId", "westeurope");
        row.put("ResourceId", "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/"
                + "microsoft.compute/virtualmachines/vm1");
        row.put("ConsumedQuantity", "24");
        row.put("ConsumedUnit", "1 Hour");
        row.put("Tags", "{\"costcenter\":\"cc-42\"}");
        row.put("x_ResourceGroupName", "rg");
        row.put("x_EffectiveCostInUsd", "1.00");
        return row;
    }

    private record Read(List<FocusRow> rows, FocusReadResult result) {
    }

    private static Read read(byte[] file) throws Exception {
        return read(file, new FocusReader());
    }

    private static Read read(byte[] file, FocusReader reader) throws Exception {
        List<FocusRow> rows = new ArrayList<>();
        FocusReadResult result = reader.read(new ByteArrayInputStream(file), rows::addAll);
        return new Read(rows, result);
    }

    private static Map<String, BigDecimal> effectiveCostByCurrency(List<FocusRow> rows) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        rows.forEach(r -> sums.merge(r.billingCurrency(), r.effectiveCost(), BigDecimal::add));
        return sums;
    }

    /** Amounts with up to 10 decimals, as the exports write them; the expected sums come from the same strings. */
    private static String amount(Random random) {
        return BigDecimal.valueOf(random.nextLong(-1_000_000_000L, 50_000_000_000_000L), 10).toPlainString();
    }

    @Test
    void awsFlavouredExportParsesAndSumsEffectiveCostPerCurrency() throws Exception {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        Map<String, BigDecimal> expected = new TreeMap<>();
        Random random = new Random(17);
        for (int i = 0; i < 300; i++) {
            String currency = i % 3 == 0 ? "EUR" : "USD";
            String cost = amount(random);
            expected.merge(currency, new BigDecimal(cost), BigDecimal::add);
            csv.row(awsRow(cost, currency));
        }

        Read read = read(csv.bytes());

        assertThat(read.result().rejected()).isEmpty();
        assertThat(read.rows()).hasSize(300);
        assertThat(effectiveCostByCurrency(read.rows())).isEqualTo(expected);
        FocusRow first = read.rows().get(0);
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.billingPeriodStart()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(first.chargePeriodEnd()).isEqualTo(Instant.parse("2025-03-05T01:00:00Z"));
        assertThat(first.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("user:team", "finops", "user:env", "prod"));
        assertThat(first.consumedQuantity()).isEqualByComparingTo("1");
        assertThat(first.regionId()).isEqualTo("eu-west-1");
        assertThat(read.result().ignoredColumns()).contains("x_ServiceCode", "aws_BillingEntity", "SkuId")
                .doesNotContain("EffectiveCost", "Tags");
    }

    @Test
    void azureFlavouredExportWithZonelessDatetimesParsesAsUtc() throws Exception {
        FocusCsv csv = new FocusCsv(FocusCsv.AZURE_COLUMNS);
        Map<String, BigDecimal> expected = new TreeMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            String currency = i % 4 == 0 ? "GBP" : i % 4 == 1 ? "JPY" : "EUR";
            String cost = amount(random);
            expected.merge(currency, new BigDecimal(cost), BigDecimal::add);
            csv.row(azureRow(cost, currency));
        }

        Read read = read(csv.bytes());

        assertThat(read.result().rejected()).isEmpty();
        assertThat(read.rows()).hasSize(300);
        assertThat(effectiveCostByCurrency(read.rows())).isEqualTo(expected);
        FocusRow first = read.rows().get(0);
        assertThat(first.billingPeriodStart()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(first.billingPeriodEnd()).isEqualTo(Instant.parse("2025-04-01T00:00:00Z"));
        assertThat(first.chargePeriodStart()).isEqualTo(Instant.parse("2025-03-07T00:00:00Z"));
        assertThat(first.tags()).isEqualTo(Map.of("costcenter", "cc-42"));
        assertThat(read.result().ignoredColumns()).contains("x_ResourceGroupName", "x_EffectiveCostInUsd");
    }

    @Test
    void gzipIsReadLikePlainText() throws Exception {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            csv.row(awsRow(amount(random), "USD"));
        }
        csv.row(awsRow("not-a-number", "USD"));

        Read plain = read(csv.bytes());
        Read gzipped = read(csv.gzip());

        assertThat(csv.gzip()[0]).isEqualTo((byte) 0x1f);
        assertThat(gzipped.rows()).hasSize(50).isEqualTo(plain.rows());
        assertThat(gzipped.result()).isEqualTo(plain.result());
    }

    @Test
    void utf8BomBeforeTheFirstHeaderNameIsDropped() throws Exception {
        List<String> columns = new ArrayList<>(FocusColumns.REQUIRED);
        FocusCsv csv = new FocusCsv(columns).row(awsRow("1.5", "USD"));
        byte[] text = csv.bytes();
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);

        Read read = read(withBom);

        assertThat(columns.get(0)).isEqualTo("BilledCost");
        assertThat(read.rows()).singleElement().satisfies(r -> assertThat(r.billedCost()).isEqualByComparingTo("1.5"));
        // optional columns absent from the header read as empty
        assertThat(read.rows().get(0).tags()).isEmpty();
        assertThat(read.rows().get(0).consumedQuantity()).isNull();
        assertThat(read.rows().get(0).regionId()).isNull();
    }

    @Test
    void headerMissingTwoRequiredColumnsNamesBoth() {
        List<String> columns = new ArrayList<>(FocusCsv.AWS_COLUMNS);
        columns.remove("BillingCurrency");
        columns.remove("ChargePeriodEnd");
        columns.add("billingcurrency"); // FOCUS spelling is exact: another case is not the column
        FocusCsv csv = new FocusCsv(columns).row(awsRow("1", "USD"));
        List<List<FocusRow>> batches = new ArrayList<>();

        assertThatThrownBy(() -> new FocusReader().read(new ByteArrayInputStream(csv.bytes()), batches::add))
                .isInstanceOfSatisfying(FocusFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.missingColumns()).containsExactly("BillingCurrency", "ChargePeriodEnd");
                    assertThat(e.getMessage()).contains("BillingCurrency", "ChargePeriodEnd", "1.0, 1.1, 1.2");
                });
        assertThat(batches).isEmpty();
    }

    @Test
    void badValuesAreRejectedWithTheirLineWhileTheNextGoodRowComesThrough() throws Exception {
        Map<String, String> multiLine = awsRow("1", "USD");
        multiLine.put("ResourceId", "line one\nline two\nline three"); // lines 2-4
        Map<String, String> badNumber = awsRow("12,5", "USD");
        Map<String, String> badDate = awsRow("1", "USD");
        badDate.put("ChargePeriodStart", "2025-02-30T00:00:00Z");
        Map<String, String> endBeforeStart = awsRow("1", "USD");
        endBeforeStart.put("BillingPeriodEnd", "2025-02-01T00:00:00Z");
        Map<String, String> missingService = awsRow("1", "USD");
        missingService.put("ServiceName", " ");
        Map<String, String> badTags = awsRow("1", "USD");
        badTags.put("Tags", "{\"team\":");
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS)
                .row(multiLine) // 2-4
                .row(badNumber) // 5
                .row(awsRow("2", "USD")) // 6
                .row(badDate) // 7
                .row(awsRow("3", "USD")) // 8
                .row(awsRow("4", "XYZ")) // 9
                .row(awsRow("5", "usd")) // 10
                .raw("") // 11, blank
                .row(endBeforeStart) // 12
                .row(missingService) // 13
                .row(badTags) // 14
                .row(awsRow("6", "EUR")); // 15

        Read read = read(csv.bytes());

        assertThat(read.rows()).extracting(FocusRow::line).containsExactly(2L, 6L, 8L, 15L);
        assertThat(read.rows().get(0).resourceId()).isEqualTo("line one\nline two\nline three");
        assertThat(read.result().acceptedCount()).isEqualTo(4);
        assertThat(read.result().rejectedCount()).isEqualTo(7);
        assertThat(read.result().rejected()).extracting(RejectedRow::line).containsExactly(5L, 7L, 9L, 10L, 12L, 13L,
                14L);
        List<String> reasons = read.result().rejected().stream().map(RejectedRow::reason).toList();
        assertThat(reasons.get(0)).contains("BilledCost", "\"12,5\"").contains("EffectiveCost");
        assertThat(reasons.get(1)).contains("ChargePeriodStart", "\"2025-02-30T00:00:00Z\"");
        assertThat(reasons.get(2)).contains("BillingCurrency", "\"XYZ\"");
        assertThat(reasons.get(3)).contains("BillingCurrency", "\"usd\"");
        assertThat(reasons.get(4)).contains("BillingPeriodEnd", "\"2025-02-01T00:00:00Z\"", "BillingPeriodStart",
                AWS_START);
        assertThat(reasons.get(5)).contains("ServiceName", "empty");
        assertThat(reasons.get(6)).contains("Tags", "{\"team\":");
    }

    @Test
    void billingPeriodEndingWhereItStartsIsRejected() throws Exception {
        Map<String, String> empty = awsRow("1", "USD");
        empty.put("BillingPeriodEnd", AWS_START);
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS).row(empty).row(awsRow("2", "USD"));

        Read read = read(csv.bytes());

        assertThat(read.result().rejected()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(2);
            assertThat(r.reason()).contains("BillingPeriodEnd", "is not after");
        });
        assertThat(read.rows()).extracting(FocusRow::line).containsExactly(3L);
    }

    @Test
    void tagsAreAJsonObjectOfStrings() throws Exception {
        String[] tags = { "{\"env\":\"prod\",\"keyOnly\":null,\"n\":3}", "", "[\"env\"]",
                "{\"env\":{\"nested\":\"x\"}}", "{\"env\":\"a\",\"env\":\"b\"}" };
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        for (String value : tags) {
            Map<String, String> row = awsRow("1", "USD");
            row.put("Tags", value);
            csv.row(row);
        }

        Read read = read(csv.bytes());

        assertThat(read.rows()).extracting(FocusRow::tags)
                .containsExactly(Map.of("env", "prod", "keyOnly", "", "n", "3"), Map.of());
        assertThat(read.result().rejected()).extracting(RejectedRow::line).containsExactly(4L, 5L, 6L);
        assertThat(read.result().rejected()).allSatisfy(r -> assertThat(r.reason()).startsWith("Tags"));
    }

    @Test
    void datetimeFormsOfTheExportsAreAllUtcInstants() {
        assertThat(FocusDateTime.parse("2025-03-01T00:00:00Z")).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(FocusDateTime.parse("2025-03-01T02:00:00+02:00")).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(FocusDateTime.parse("2025-03-01T00:00:00.0000000Z"))
                .isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(FocusDateTime.parse("2025-03-01T00:00:00")).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(FocusDateTime.parse("2025-03-01 00:00:00")).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThatThrownBy(() -> FocusDateTime.parse("2025-02-30T00:00:00Z"))
                .isInstanceOf(java.time.DateTimeException.class);
        assertThatThrownBy(() -> FocusDateTime.parse("03/01/2025")).isInstanceOf(java.time.DateTimeException.class);
    }

    @Test
    void rejectedRowsKeptAreCappedButAllCounted() throws Exception {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        for (int i = 0; i < 10; i++) {
            csv.row(awsRow("x" + i, "USD"));
        }
        csv.row(awsRow("1", "USD"));

        Read read = read(csv.bytes(), new FocusReader(100, 3));

        assertThat(read.result().rejectedCount()).isEqualTo(10);
        assertThat(read.result().rejected()).extracting(RejectedRow::line).containsExactly(2L, 3L, 4L);
        assertThat(read.rows()).hasSize(1);
    }

    @Test
    void valuesInReasonsAreCutTo100Characters() throws Exception {
        String longValue = "9".repeat(50) + "x" + "9".repeat(200);
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS).row(awsRow(longValue, "USD"));

        Read read = read(csv.bytes());

        String reason = read.result().rejected().get(0).reason();
        assertThat(reason).contains("\"" + longValue.substring(0, 100) + "…\"").doesNotContain(longValue);
    }

    @Test
    void twoHundredThousandRowsStreamInBatchesNoLargerThanN() throws Exception {
        int rows = 200_000;
        int batchSize = 500;
        String header = FocusCsv.line(FocusCsv.AWS_COLUMNS);
        String row = FocusCsv.line(FocusCsv.AWS_COLUMNS.stream()
                .map(c -> awsRow("0.0000012345", "USD").getOrDefault(c, ""))
                .toList());
        // the file is produced as it is read, so that neither the test nor the reader can hold it whole
        InputStream file = new SequenceInputStream(new Enumeration<>() {
            int produced = -1;

            @Override
            public boolean hasMoreElements() {
                return produced < rows;
            }

            @Override
            public InputStream nextElement() {
                String text = produced++ < 0 ? header : row;
                return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }
        });
        AtomicLong received = new AtomicLong();
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger largest = new AtomicInteger();
        AtomicLong lastLine = new AtomicLong();

        FocusReadResult result = new FocusReader(batchSize, 1_000).read(file, batch -> {
            batches.incrementAndGet();
            largest.accumulateAndGet(batch.size(), Math::max);
            received.addAndGet(batch.size());
            lastLine.set(batch.get(batch.size() - 1).line());
        });

        assertThat(received.get()).isEqualTo(rows);
        assertThat(result.acceptedCount()).isEqualTo(rows);
        assertThat(largest.get()).isEqualTo(batchSize);
        assertThat(batches.get()).isEqualTo(rows / batchSize);
        assertThat(lastLine.get()).isEqualTo(rows + 1);
    }

    @Test
    void unbalancedQuoteFailsTheReadNamingTheLine() {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS)
                .row(awsRow("1", "USD")) // 2
                .row(awsRow("2", "USD")); // 3
        // 4: the quote opens and never closes; line 5 is a good row whose quoted Tags then break the parse
        String broken = String.join(",", FocusCsv.AWS_COLUMNS.stream()
                .map(c -> c.equals("ResourceId") ? "\"i-0abc" : FocusCsv.quote(awsRow("3", "USD").getOrDefault(c, "")))
                .toList()) + "\n";
        String text = csv.text() + broken + FocusCsv.line(FocusCsv.AWS_COLUMNS.stream()
                .map(c -> awsRow("4", "USD").getOrDefault(c, "")).toList());

        assertThatThrownBy(() -> new FocusReader().read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), batch -> {
                }))
                .isInstanceOfSatisfying(FocusFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.getMessage()).startsWith("line 4:");
                });
    }

    @Test
    void quoteLeftOpenToTheEndOfTheFileFailsTheReadNamingTheLine() {
        String text = new FocusCsv(FocusCsv.AWS_COLUMNS).row(awsRow("1", "USD")).text() // 2
                + "1,\"unclosed\n" // 3
                + "more text\n";

        assertThatThrownBy(() -> read(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(FocusFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).startsWith("line 3:").contains("closing quote");
                });
    }

    @Test
    void rowWithTooFewColumnsFailsTheReadNamingTheLine() {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS)
                .row(awsRow("1", "USD")) // 2
                .raw("1,2,3") // 3
                .row(awsRow("2", "USD"));

        assertThatThrownBy(() -> read(csv.bytes()))
                .isInstanceOfSatisfying(FocusFormatException.class, e -> assertThat(e.line()).isEqualTo(3));
    }

    @Test
    void textThatIsNotUtf8FailsTheRead() {
        byte[] text = new FocusCsv(FocusCsv.AWS_COLUMNS).row(awsRow("1", "USD")).bytes();
        byte[] latin1 = new byte[text.length + 1];
        System.arraycopy(text, 0, latin1, 0, text.length);
        latin1[text.length - 1] = (byte) 0xE9; // é in ISO-8859-1, invalid alone in UTF-8
        latin1[text.length] = '\n';

        assertThatThrownBy(() -> read(latin1)).isInstanceOf(FocusFormatException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void emptyFileFailsAtLineOne() {
        assertThatThrownBy(() -> read(new byte[0])).isInstanceOfSatisfying(FocusFormatException.class,
                e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    void valuesPostgreSqlWouldRefuseOrThatWouldTakeMemoryOutOfProportionRejectTheirRowsOnly() throws Exception {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        csv.row(awsRow("1E+100000000", "USD"));
        csv.row(awsRow("1e-20000", "USD"));
        Map<String, String> nul = awsRow("1.00", "USD");
        nul.put("ServiceName", "EC2\u0000");
        csv.row(nul);
        Map<String, String> farFuture = awsRow("1.00", "USD");
        farFuture.put("ChargePeriodStart", "+300000-01-01T00:00:00Z");
        csv.row(farFuture);
        Map<String, String> huge = awsRow("1.00", "USD");
        huge.put("ResourceId", "r".repeat(70_000));
        csv.row(huge);
        csv.row(awsRow("123456789012345678901234.123456789012345678901234", "USD"));

        Read read = read(csv.bytes());

        assertThat(read.result().rejected()).extracting(RejectedRow::line).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(read.result().rejected().get(0).reason()).contains("EffectiveCost: out of range");
        assertThat(read.result().rejected().get(1).reason()).contains("out of range");
        assertThat(read.result().rejected().get(2).reason()).contains("ServiceName: contains a NUL character");
        assertThat(read.result().rejected().get(3).reason()).contains("ChargePeriodStart");
        assertThat(read.result().rejected().get(4).reason()).contains("more than 65536");
        assertThat(read.rows()).hasSize(1);
    }

    @Test
    void pastTheCallersMaximumNoRowIsPassedOnAndReadingStopsOnceTheReportIsFull() throws Exception {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        for (int i = 0; i < 50; i++) {
            csv.row(awsRow(i == 10 || i == 20 ? "not-a-number" : "1.00", "USD"));
        }
        List<FocusRow> rows = new ArrayList<>();

        // the caller takes no rejected row; the reader keeps two of them for the report
        FocusReadResult result = new FocusReader(5, 2).read(new ByteArrayInputStream(csv.bytes()), rows::addAll, 0);

        assertThat(result.stoppedAtLine()).isEqualTo(22);
        assertThat(result.rejected()).extracting(RejectedRow::line).containsExactly(12L, 22L);
        assertThat(rows).as("the rows before the first rejected one, in full batches; none after").hasSize(10);
        assertThat(new FocusReader().read(new ByteArrayInputStream(csv.bytes()), batch -> {
        }).stoppedAtLine()).isZero();
    }
}

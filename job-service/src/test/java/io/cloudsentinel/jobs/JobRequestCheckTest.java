package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.JobRequestCheck.Accepted;
import io.cloudsentinel.jobs.JobRequestCheck.Refused;
import io.cloudsentinel.jobs.JobRequestCheck.Verdict;
import io.cloudsentinel.platform.tenant.TenantId;

/** Each reason a jobs.requested record is refused for, and what a valid one becomes: a plain unit test. */
class JobRequestCheckTest {

    private static final int MAX_BYTES = 2048;
    /** More digits than a double holds: the payload is kept exactly as sent. */
    private static final String PAYLOAD = "{\"n\":0.12345678901234567890123}";
    private static final TenantId TENANT = TenantId.random();
    private static final Optional<String> TENANT_HEADER = Optional.of(TENANT.toString());
    private static final Optional<String> NO_EVENT = Optional.empty();

    /** noop may come through Kafka; api_only has a handler but may not; nothing else has one. */
    private static final PayloadSchemas SCHEMAS = new PayloadSchemas(Map.of(
            "noop", "{\"type\":\"object\",\"properties\":{\"holdMillis\":{\"type\":\"integer\",\"maximum\":60000}}}",
            "api_only", PayloadSchemas.ANY_OBJECT));
    private final JobRequestCheck check = new JobRequestCheck(MAX_BYTES, Set.of("noop"),
            Set.of("noop", "api_only")::contains, SCHEMAS::problems);

    @Test
    void theSchedulersRequestIsAcceptedAsItIs() {
        UUID jobId = UUID.randomUUID();
        String dedupKey = TENANT + ":noop:2025-01-01T00:00:00Z";
        JobRequest request = accepted(check.check(bytes("{\"schemaVersion\":1,\"jobId\":\"" + jobId
                + "\",\"tenantId\":\"" + TENANT + "\",\"jobType\":\"noop\",\"dedupKey\":\"" + dedupKey
                + "\",\"slotStart\":\"2025-01-01T00:00:00Z\",\"source\":\"scheduler\",\"payload\":{}}"), TENANT_HEADER,
                Optional.of(UUID.randomUUID().toString())));

        assertThat(request.tenant()).isEqualTo(TENANT);
        assertThat(request.jobId()).contains(jobId);
        assertThat(request.type()).isEqualTo("noop");
        assertThat(request.dedupKey()).as("the value's key wins over the event id").isEqualTo(dedupKey);
        assertThat(request.payloadJson()).isEqualTo("{}");
        assertThat(request.priority()).isZero();
        assertThat(request.runAt()).isEmpty();
    }

    @Test
    void anExternalRequestWithoutJobIdOrDedupKeyIsKeyedByItsEventId() {
        JobRequest request = accepted(check.check(bytes(valid("\"priority\":7,\"runAt\":\"2030-01-01T10:00:00Z\"")),
                TENANT_HEADER, Optional.of("evt-42")));

        assertThat(request.jobId()).isEmpty();
        assertThat(request.dedupKey()).isEqualTo("event:evt-42");
        assertThat(request.priority()).isEqualTo(7);
        assertThat(request.runAt()).contains(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(request.payloadJson()).isEqualTo(PAYLOAD);
    }

    @Test
    void aRecordLargerThanTheLimitIsOversizeBeforeItIsParsed() {
        String padded = "{\"schemaVersion\":1," + " ".repeat(MAX_BYTES) + "}";
        assertRefused(check.check(bytes(padded), TENANT_HEADER, NO_EVENT), DlqReason.OVERSIZE);
        assertRefused(check.check(new byte[MAX_BYTES + 1], TENANT_HEADER, NO_EVENT), DlqReason.OVERSIZE);
    }

    @Test
    void anythingButAJsonObjectIsInvalidJson() {
        for (String value : new String[] { "not json", "[1,2]", "\"text\"", "", "{\"schemaVersion\":1} trailing",
                "{\"schemaVersion\":1,\"schemaVersion\":1}" }) {
            assertRefused(check.check(bytes(value), TENANT_HEADER, NO_EVENT), DlqReason.INVALID_JSON);
        }
        assertRefused(check.check(null, TENANT_HEADER, NO_EVENT), DlqReason.INVALID_JSON);
        assertRefused(check.check(new byte[] { '{', (byte) 0xff, '}' }, TENANT_HEADER, NO_EVENT),
                DlqReason.INVALID_JSON);
    }

    @Test
    void fieldsOfTheWrongTypeOrRangeAreInvalidJson() {
        String tenant = "\"tenantId\":\"" + TENANT + "\"";
        for (String value : new String[] {
                "{\"schemaVersion\":1,\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":{}}",
                "{\"schemaVersion\":1,\"tenantId\":\"not-a-uuid\",\"jobType\":\"noop\",\"dedupKey\":\"k\","
                        + "\"payload\":{}}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":7,\"dedupKey\":\"k\",\"payload\":{}}",
                "{\"schemaVersion\":1," + tenant + ",\"dedupKey\":\"k\",\"payload\":{}}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\"}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":[]}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":\"{}\"}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"\",\"payload\":{}}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"" + "k".repeat(513)
                        + "\",\"payload\":{}}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"jobId\":\"x\","
                        + "\"payload\":{}}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":{},"
                        + "\"priority\":1.5}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":{},"
                        + "\"priority\":3000000000}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":{},"
                        + "\"runAt\":\"tomorrow\"}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":{},"
                        + "\"runAt\":\"+20000-01-01T00:00:00Z\"}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\",\"payload\":{},"
                        + "\"slotStart\":42}",
                "{\"schemaVersion\":1," + tenant + ",\"jobType\":\"noop\",\"dedupKey\":\"k\","
                        + "\"payload\":{\"text\":\"a\\u0000b\"}}" }) {
            assertRefused(check.check(bytes(value), TENANT_HEADER, NO_EVENT), DlqReason.INVALID_JSON);
        }
    }

    @Test
    void aSchemaVersionOtherThanOneIsRefusedAsSuch() {
        for (String version : new String[] { "2", "0", "\"1\"", "1.0", "null" }) {
            assertRefused(check.check(bytes(valid("").replace("\"schemaVersion\":1", "\"schemaVersion\":" + version)),
                    TENANT_HEADER, Optional.of("e")), DlqReason.SCHEMA_VERSION);
        }
        assertRefused(check.check(bytes(valid("").replace("\"schemaVersion\":1,", "")), TENANT_HEADER,
                Optional.of("e")), DlqReason.SCHEMA_VERSION);
    }

    @Test
    void aTypeWithoutHandlerOrNotOpenToKafkaIsUnknown() {
        Refused noHandler = assertRefused(check.check(bytes(valid("").replace("noop", "no_such_type")),
                TENANT_HEADER, Optional.of("e")), DlqReason.UNKNOWN_TYPE);
        assertThat(noHandler.typeLabel()).as("producers must not mint label values").isEqualTo("unknown");

        Refused apiOnly = assertRefused(check.check(bytes(valid("").replace("noop", "api_only")), TENANT_HEADER,
                Optional.of("e")), DlqReason.UNKNOWN_TYPE);
        assertThat(apiOnly.typeLabel()).isEqualTo("api_only");
    }

    @Test
    void aTenantIdHeaderOtherThanTheValuesIsAMismatch() {
        Refused refused = assertRefused(check.check(bytes(valid("")), Optional.of(TenantId.random().toString()),
                Optional.of("e")), DlqReason.TENANT_MISMATCH);
        assertThat(refused.typeLabel()).isEqualTo("noop");
    }

    @Test
    void noTenantIdHeaderOrNoDedupKeyAndNoEventIdIsMissingHeaders() {
        Refused noTenant = assertRefused(check.check(bytes(valid("")), Optional.empty(), Optional.of("e")),
                DlqReason.MISSING_HEADERS);
        assertThat(noTenant.tenant()).as("the value's tenant, for the dead letter's header").contains(TENANT);
        assertRefused(check.check(bytes(valid("")), Optional.of("not-a-uuid"), Optional.of("e")),
                DlqReason.MISSING_HEADERS);
        assertRefused(check.check(bytes(valid("")), TENANT_HEADER, Optional.empty()), DlqReason.MISSING_HEADERS);
        assertRefused(check.check(bytes(valid("")), TENANT_HEADER, Optional.of(" ")), DlqReason.MISSING_HEADERS);
    }

    @Test
    void aPayloadItsTypesSchemaRefusesIsInvalidNamingTheField() {
        Refused refused = assertRefused(check.check(bytes(valid("").replace(PAYLOAD, "{\"holdMillis\":\"soon\"}")),
                TENANT_HEADER, Optional.of("e")), DlqReason.INVALID_JSON);
        assertThat(refused.detail()).contains("schema of job type 'noop'").contains("payload.holdMillis");
        assertThat(refused.typeLabel()).isEqualTo("noop");
        accepted(check.check(bytes(valid("").replace(PAYLOAD, "{\"holdMillis\":5}")), TENANT_HEADER,
                Optional.of("e")));
    }

    @Test
    void theRequestHashIgnoresKeyOrderButNotContent() {
        String sorted = RequestHash.of("noop", accepted(check.check(bytes(valid("").replace(PAYLOAD,
                "{\"a\":{\"x\":1,\"y\":2},\"b\":[1]}")), TENANT_HEADER, Optional.of("e"))).payload(), 0,
                Optional.empty());
        String shuffled = RequestHash.of("noop", accepted(check.check(bytes(valid("").replace(PAYLOAD,
                "{\"b\":[1],\"a\":{\"y\":2,\"x\":1}}")), TENANT_HEADER, Optional.of("e"))).payload(), 0,
                Optional.empty());
        assertThat(shuffled).isEqualTo(sorted).hasSize(64);
        JobRequest request = accepted(check.check(bytes(valid("")), TENANT_HEADER, Optional.of("e")));
        assertThat(RequestHash.of("noop", request.payload(), 1, Optional.empty())).isNotEqualTo(request.requestHash());
        assertThat(RequestHash.of("noop", request.payload(), 0, Optional.of(Instant.EPOCH)))
                .isNotEqualTo(request.requestHash());
    }

    /** A valid external request of noop for {@link #TENANT}, without dedup key, with more fields. */
    private static String valid(String moreFields) {
        return "{\"schemaVersion\":1,\"tenantId\":\"" + TENANT + "\",\"jobType\":\"noop\",\"payload\":" + PAYLOAD
                + (moreFields.isEmpty() ? "" : "," + moreFields) + "}";
    }

    private static JobRequest accepted(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Accepted.class);
        return ((Accepted) verdict).request();
    }

    private static Refused assertRefused(Verdict verdict, DlqReason reason) {
        assertThat(verdict).isInstanceOf(Refused.class);
        Refused refused = (Refused) verdict;
        assertThat(refused.reason()).as(refused.detail()).isEqualTo(reason);
        assertThat(refused.detail()).isNotBlank();
        return refused;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.cloudsentinel.jobs;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * Decides whether a {@code jobs.requested} record is a job request this service takes, from its value and its
 * {@code tenant-id} and {@code event-id} headers alone: nothing here touches the database or the broker, so a record
 * refused here is refused for good and never retried. The value:
 * {@code {"schemaVersion":1, "jobId"?, "tenantId", "jobType", "dedupKey"?, "slotStart"?, "source"?, "payload":{},
 * "priority"?, "runAt"?}}. Checks run in this order, the first failing one decides the reason: size, JSON object,
 * schema version, field types, tenant-id header, tenant match, job type, the type's payload schema, dedup key.
 */
public final class JobRequestCheck {

    /** The longest dedup key stored: well inside a btree entry, and far above the scheduler's keys. */
    public static final int MAX_DEDUP_KEY_LENGTH = 512;
    /** Label of the metric when the type is not one of ours: producers must not mint label values. */
    public static final String UNKNOWN_TYPE_LABEL = "unknown";
    static final String EVENT_KEY_PREFIX = "event:";

    /** Rejects what PostgreSQL would: duplicate keys, trailing garbage; keeps decimals exact instead of doubles. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    /** timestamptz holds far more, but no job is meant for before the epoch or after year 9999. */
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** What the check decided. */
    public sealed interface Verdict {
    }

    public record Accepted(JobRequest request) implements Verdict {
    }

    /**
     * @param detail what is wrong, for {@code dead-letter-reason} and the log
     * @param typeLabel the job type when it is one of ours, else {@link #UNKNOWN_TYPE_LABEL}
     * @param tenant the tenant the record names, its header first, when either names one
     */
    public record Refused(DlqReason reason, String detail, String typeLabel, Optional<TenantId> tenant)
            implements
                Verdict {
    }

    private final int maxRecordBytes;
    private final Set<String> kafkaTypes;
    private final Predicate<String> registered;
    private final BiFunction<String, JsonNode, List<String>> payloadProblems;

    /**
     * @param kafkaTypes the types producers may request through Kafka
     * @param registered whether a type has a handler
     * @param payloadProblems what is wrong with a payload for its (registered) type's schema
     */
    public JobRequestCheck(int maxRecordBytes, Set<String> kafkaTypes, Predicate<String> registered,
            BiFunction<String, JsonNode, List<String>> payloadProblems) {
        this.maxRecordBytes = maxRecordBytes;
        this.kafkaTypes = Set.copyOf(kafkaTypes);
        this.registered = registered;
        this.payloadProblems = payloadProblems;
    }

    public Verdict check(byte[] value, Optional<String> tenantHeader, Optional<String> eventIdHeader) {
        Optional<TenantId> headerTenant = tenantHeader.flatMap(JobRequestCheck::tenantOf);
        if (value == null) {
            return new Refused(DlqReason.INVALID_JSON, "record has no value", UNKNOWN_TYPE_LABEL, headerTenant);
        }
        if (value.length > maxRecordBytes) {
            return new Refused(DlqReason.OVERSIZE, "value is " + value.length + " bytes, more than the "
                    + maxRecordBytes + " accepted", UNKNOWN_TYPE_LABEL, headerTenant);
        }
        JsonNode request;
        try {
            request = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return new Refused(DlqReason.INVALID_JSON, "value is not JSON: " + e.getOriginalMessage(),
                    UNKNOWN_TYPE_LABEL, headerTenant);
        } catch (IOException e) {
            return new Refused(DlqReason.INVALID_JSON, "value is not JSON", UNKNOWN_TYPE_LABEL, headerTenant);
        }
        if (request == null || !request.isObject()) {
            return new Refused(DlqReason.INVALID_JSON, "value is not a JSON object", UNKNOWN_TYPE_LABEL,
                    headerTenant);
        }
        return new Fields(request, headerTenant).check(tenantHeader, eventIdHeader);
    }

    /** The checks that read the parsed value, with what every refusal of it reports. */
    private final class Fields {

        private final JsonNode request;
        private final String typeLabel;
        private final Optional<TenantId> tenant;

        Fields(JsonNode request, Optional<TenantId> headerTenant) {
            this.request = request;
            JsonNode type = request.get("jobType");
            this.typeLabel = type != null && type.isTextual() && registered.test(type.textValue()) ? type.textValue()
                    : UNKNOWN_TYPE_LABEL;
            this.tenant = headerTenant.or(() -> text("tenantId").flatMap(JobRequestCheck::tenantOf));
        }

        Verdict check(Optional<String> tenantHeader, Optional<String> eventIdHeader) {
            JsonNode version = request.get("schemaVersion");
            if (version == null || !version.isIntegralNumber() || !version.canConvertToLong()
                    || version.longValue() != 1) {
                return refused(DlqReason.SCHEMA_VERSION, version == null ? "schemaVersion is missing"
                        : "schemaVersion is " + version + ", only 1 is understood");
            }
            try {
                return checkFields(tenantHeader, eventIdHeader);
            } catch (InvalidField e) {
                return refused(DlqReason.INVALID_JSON, e.getMessage());
            }
        }

        private Verdict checkFields(Optional<String> tenantHeader, Optional<String> eventIdHeader)
                throws InvalidField {
            TenantId valueTenant = tenantOf(required("tenantId"))
                    .orElseThrow(() -> new InvalidField("tenantId must be a UUID"));
            Optional<String> jobIdText = optionalText("jobId");
            Optional<UUID> jobId = jobIdText.flatMap(JobRequestCheck::uuidOf);
            if (jobIdText.isPresent() && jobId.isEmpty()) {
                throw new InvalidField("jobId must be a UUID");
            }
            String type = required("jobType");
            if (type.isBlank()) {
                throw new InvalidField("jobType must not be blank");
            }
            Optional<String> dedupKey = optionalText("dedupKey");
            if (dedupKey.isPresent()) {
                checkDedupKey(dedupKey.get(), "dedupKey");
            }
            optionalInstant("slotStart");
            optionalText("source");
            JsonNode payload = request.get("payload");
            if (payload == null || !payload.isObject()) {
                throw new InvalidField("payload must be a JSON object");
            }
            if (hasNul(payload)) {
                throw new InvalidField("payload must not contain NUL characters");
            }
            int priority = priority();
            Optional<Instant> runAt = optionalInstant("runAt");

            if (tenantHeader.isEmpty()) {
                return refused(DlqReason.MISSING_HEADERS, "record has no tenant-id header");
            }
            Optional<TenantId> headerTenant = tenantOf(tenantHeader.get());
            if (headerTenant.isEmpty()) {
                return refused(DlqReason.MISSING_HEADERS, "tenant-id header is not a UUID");
            }
            if (!headerTenant.get().equals(valueTenant)) {
                return refused(DlqReason.TENANT_MISMATCH,
                        "tenantId of the value differs from the tenant-id header " + headerTenant.get());
            }
            if (!registered.test(type)) {
                return refused(DlqReason.UNKNOWN_TYPE, "no handler for job type '" + type + "'");
            }
            if (!kafkaTypes.contains(type)) {
                return refused(DlqReason.UNKNOWN_TYPE, "job type '" + type + "' cannot be requested through Kafka");
            }
            List<String> problems = payloadProblems.apply(type, payload);
            if (!problems.isEmpty()) {
                return refused(DlqReason.INVALID_JSON, "payload does not match the schema of job type '" + type
                        + "': " + String.join("; ", problems));
            }
            String key;
            if (dedupKey.isPresent()) {
                key = dedupKey.get();
            } else if (eventIdHeader.filter(id -> !id.isBlank()).isPresent()) {
                key = EVENT_KEY_PREFIX + eventIdHeader.get();
                try {
                    checkDedupKey(key, "event-id header");
                } catch (InvalidField e) {
                    return refused(DlqReason.MISSING_HEADERS, e.getMessage());
                }
            } else {
                return refused(DlqReason.MISSING_HEADERS, "value has no dedupKey and the record no event-id header");
            }
            return new Accepted(new JobRequest(valueTenant, jobId, type, key, payload, priority, runAt));
        }

        private int priority() throws InvalidField {
            JsonNode priority = request.get("priority");
            if (priority == null || priority.isNull()) {
                return 0;
            }
            if (!priority.isIntegralNumber() || !priority.canConvertToInt()) {
                throw new InvalidField("priority must be a 32-bit integer");
            }
            return priority.intValue();
        }

        private Optional<Instant> optionalInstant(String field) throws InvalidField {
            Optional<String> text = optionalText(field);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            Instant instant;
            try {
                instant = Instant.parse(text.get());
            } catch (DateTimeException e) {
                throw new InvalidField(field + " must be an ISO-8601 instant");
            }
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw new InvalidField(field + " must be between 1970 and 9999");
            }
            return Optional.of(instant);
        }

        private String required(String field) throws InvalidField {
            return optionalText(field).orElseThrow(() -> new InvalidField(field + " is required"));
        }

        /** Absent and null are the same; anything else must be a string. */
        private Optional<String> optionalText(String field) throws InvalidField {
            JsonNode node = request.get(field);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isTextual()) {
                throw new InvalidField(field + " must be a string");
            }
            return Optional.of(node.textValue());
        }

        private Optional<String> text(String field) {
            JsonNode node = request.get(field);
            return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
        }

        private Refused refused(DlqReason reason, String detail) {
            return new Refused(reason, detail, typeLabel, tenant);
        }
    }

    private static void checkDedupKey(String key, String what) throws InvalidField {
        if (key.isBlank() || key.length() > MAX_DEDUP_KEY_LENGTH) {
            throw new InvalidField(what + " must be 1 to " + MAX_DEDUP_KEY_LENGTH + " characters");
        }
        if (key.indexOf('\0') >= 0) {
            throw new InvalidField(what + " must not contain NUL characters");
        }
    }

    /** PostgreSQL's text and jsonb cannot hold U+0000: refused here rather than by the database on every retry. */
    private static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().indexOf('\0') >= 0 || hasNul(field.getValue())) {
                    return true;
                }
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<TenantId> tenantOf(String text) {
        try {
            return Optional.of(TenantId.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<UUID> uuidOf(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A field of the value is missing or of the wrong type or range. */
    private static final class InvalidField extends Exception {

        InvalidField(String message) {
            super(message, null, false, false);
        }
    }
}

package io.cloudsentinel.jobs;

import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * The notification a {@code budget.alerts} record stands for: budget-service's alert (value
 * {@code {schemaVersion: 1, tenantId, window, periodStart, threshold, …}}, headers {@code tenant-id},
 * {@code event-id}) as a {@code budget.threshold_crossed} or {@code budget.exhausted} event whose data are the
 * alert's fields, and whose event id is the record's, so that a redelivered record is one notification.
 */
public record BudgetAlertNotice(TenantId tenant, String eventType, String eventId, ObjectNode data) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record that is not an alert this service can notify; the message says what is wrong with it. */
    public static final class Invalid extends Exception {

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static BudgetAlertNotice of(String value, Optional<String> tenantHeader, Optional<String> eventIdHeader)
            throws Invalid {
        TenantId tenant = tenant(tenantHeader.orElseThrow(() -> new Invalid("no tenant-id header")));
        String eventId = eventId(eventIdHeader.orElseThrow(() -> new Invalid("no event-id header")));
        if (value == null) {
            throw new Invalid("no value");
        }
        JsonNode alert;
        try {
            alert = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new Invalid("the value is not JSON");
        }
        if (alert == null || !alert.isObject()) {
            throw new Invalid("the value is not a JSON object");
        }
        if (alert.path("schemaVersion").asInt(0) != 1) {
            throw new Invalid("schemaVersion is not 1");
        }
        if (alert.has("tenantId") && !alert.path("tenantId").asText().equalsIgnoreCase(tenant.toString())) {
            throw new Invalid("tenantId in the value is not the tenant-id header's");
        }
        String eventType = switch (alert.path("threshold").asText()) {
            case "SOFT_THRESHOLD" -> WebhookEvents.BUDGET_THRESHOLD_CROSSED;
            case "EXHAUSTED" -> WebhookEvents.BUDGET_EXHAUSTED;
            default -> throw new Invalid("threshold is neither SOFT_THRESHOLD nor EXHAUSTED");
        };
        ObjectNode data = ((ObjectNode) alert).deepCopy();
        // the envelope of budget-service's record, not the alert's content
        data.remove("schemaVersion");
        data.remove("type");
        return new BudgetAlertNotice(tenant, eventType, eventId, data);
    }

    private static TenantId tenant(String header) throws Invalid {
        try {
            return TenantId.parse(header);
        } catch (IllegalArgumentException e) {
            throw new Invalid("the tenant-id header is not a UUID");
        }
    }

    private static String eventId(String header) throws Invalid {
        try {
            return UUID.fromString(header.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw new Invalid("the event-id header is not a UUID");
        }
    }
}

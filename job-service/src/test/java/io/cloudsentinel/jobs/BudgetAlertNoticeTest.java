package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;

/** A budget.alerts record read as the notification it stands for, or refused saying why. */
class BudgetAlertNoticeTest {

    private final TenantId tenant = TenantId.random();
    private final String eventId = UUID.randomUUID().toString();

    @Test
    void theThresholdNamesTheEventTypeAndTheAlertsFieldsAreItsData() throws Exception {
        BudgetAlertNotice crossed = BudgetAlertNotice.of(alert("SOFT_THRESHOLD"), Optional.of(tenant.toString()),
                Optional.of(eventId));
        BudgetAlertNotice exhausted = BudgetAlertNotice.of(alert("EXHAUSTED"), Optional.of(tenant.toString()),
                Optional.of(eventId));

        assertThat(crossed.eventType()).isEqualTo(WebhookEvents.BUDGET_THRESHOLD_CROSSED);
        assertThat(exhausted.eventType()).isEqualTo(WebhookEvents.BUDGET_EXHAUSTED);
        assertThat(crossed.tenant()).isEqualTo(tenant);
        assertThat(crossed.eventId()).isEqualTo(eventId);
        assertThat(crossed.data().path("window").asText()).isEqualTo("DAY");
        assertThat(crossed.data().path("limitMicros").asLong()).isEqualTo(5_000_000L);
        assertThat(crossed.data().has("schemaVersion")).isFalse();
        assertThat(crossed.data().has("type")).isFalse();
    }

    @Test
    void aRecordThatIsNotAnAlertOfItsTenantIsRefusedSayingWhy() {
        String header = tenant.toString();
        assertRefused("{", header, eventId, "not JSON");
        assertRefused(null, header, eventId, "no value");
        assertRefused("[1]", header, eventId, "not a JSON object");
        assertRefused(alert("EXHAUSTED"), null, eventId, "no tenant-id");
        assertRefused(alert("EXHAUSTED"), "tenant-7", eventId, "tenant-id header is not a UUID");
        assertRefused(alert("EXHAUSTED"), header, null, "no event-id");
        assertRefused(alert("EXHAUSTED"), header, "e-1", "event-id header is not a UUID");
        assertRefused(alert("HALF_WAY"), header, eventId, "threshold");
        assertRefused(alert("EXHAUSTED").replace("\"schemaVersion\":1", "\"schemaVersion\":2"), header, eventId,
                "schemaVersion");
        assertRefused(alert("EXHAUSTED"), TenantId.random().toString(), eventId, "not the tenant-id header's");
    }

    private void assertRefused(String value, String tenantHeader, String eventIdHeader, String why) {
        assertThatThrownBy(() -> BudgetAlertNotice.of(value, Optional.ofNullable(tenantHeader),
                Optional.ofNullable(eventIdHeader))).isInstanceOf(BudgetAlertNotice.Invalid.class)
                .hasMessageContaining(why);
    }

    private String alert(String threshold) {
        return "{\"schemaVersion\":1,\"type\":\"budget.threshold-reached\",\"tenantId\":\"" + tenant + "\","
                + "\"window\":\"DAY\",\"periodStart\":\"2026-12-01T00:00:00Z\",\"threshold\":\"" + threshold + "\","
                + "\"softAlertPercent\":80,\"mode\":\"SOFT\",\"limitMicros\":5000000,\"spentMicros\":4000000,"
                + "\"reservedMicros\":0,\"at\":\"2026-12-01T10:00:00Z\"}";
    }
}

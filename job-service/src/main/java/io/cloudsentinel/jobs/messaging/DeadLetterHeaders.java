package io.cloudsentinel.jobs.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.cloudsentinel.jobs.DlqReason;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.TenantId;

/**
 * The headers a refused {@code jobs.requested} record gets on {@code jobs.dlq} beyond its own (which SmallRye's
 * dead-letter queue copies, as {@link OversizeDeadLetters} does): our reason code, and the tenant when only the value
 * named it, so that the dead letter can be routed to its tenant like every other record.
 */
final class DeadLetterHeaders {

    static final String CS_DLQ_REASON = "cs-dlq-reason";
    /** SmallRye's names, written by hand on the one path that does not go through its dead-letter queue. */
    static final String DEAD_LETTER_REASON = "dead-letter-reason";
    static final String DEAD_LETTER_EXCEPTION = "dead-letter-exception-class-name";
    static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    static final String DEAD_LETTER_OFFSET = "dead-letter-offset";

    private DeadLetterHeaders() {
    }

    static RecordHeaders extra(DlqReason reason, Optional<TenantId> tenant, Headers original) {
        RecordHeaders extra = new RecordHeaders();
        add(extra, CS_DLQ_REASON, reason.code());
        if (original.lastHeader(EventHeaders.TENANT_ID) == null) {
            tenant.ifPresent(known -> add(extra, EventHeaders.TENANT_ID, known.toString()));
        }
        return extra;
    }

    static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

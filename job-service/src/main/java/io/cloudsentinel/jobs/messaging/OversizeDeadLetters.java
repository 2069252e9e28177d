package io.cloudsentinel.jobs.messaging;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.cloudsentinel.jobs.JobRequestRefused;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Dead-letters an oversize request by hand, with its value cut to {@link #KEPT_BYTES}. SmallRye's dead-letter queue
 * always sends the original value: one near the broker's size limit, plus the dead-letter headers, could then fail the
 * send, and the record would be neither stored nor dead-lettered. Everything else about the record — key, headers,
 * SmallRye's dead-letter headers — is written as that queue would write it, so one reader handles both.
 */
@ApplicationScoped
public class OversizeDeadLetters {

    /** The head of the value kept for whoever looks into it. */
    static final int KEPT_BYTES = 1024;
    static final String ORIGINAL_SIZE = "cs-dlq-original-size";

    private final MutinyEmitter<byte[]> deadLetters;

    public OversizeDeadLetters(@Channel("jobs-dlq-out") MutinyEmitter<byte[]> deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Completes once the broker has the dead letter. */
    Uni<Void> send(IncomingKafkaRecordMetadata<?, ?> record, byte[] value, JobRequestRefused refusal,
            RecordHeaders extra) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.getHeaders()) {
            headers.add(header);
        }
        DeadLetterHeaders.add(headers, DeadLetterHeaders.DEAD_LETTER_EXCEPTION, refusal.getClass().getName());
        DeadLetterHeaders.add(headers, DeadLetterHeaders.DEAD_LETTER_REASON, refusal.getMessage());
        DeadLetterHeaders.add(headers, DeadLetterHeaders.DEAD_LETTER_TOPIC, record.getTopic());
        String partition = Integer.toString(record.getPartition());
        DeadLetterHeaders.add(headers, DeadLetterHeaders.DEAD_LETTER_PARTITION, partition);
        DeadLetterHeaders.add(headers, DeadLetterHeaders.DEAD_LETTER_OFFSET, Long.toString(record.getOffset()));
        DeadLetterHeaders.add(headers, ORIGINAL_SIZE, Integer.toString(value.length));
        for (Header header : extra) {
            headers.add(header);
        }
        OutgoingKafkaRecordMetadata<Object> metadata = OutgoingKafkaRecordMetadata.<Object> builder()
                .withKey(record.getKey()).withHeaders(headers).build();
        byte[] kept = Arrays.copyOf(value, Math.min(value.length, KEPT_BYTES));
        return deadLetters.sendMessage(Message.of(kept).addMetadata(metadata));
    }
}

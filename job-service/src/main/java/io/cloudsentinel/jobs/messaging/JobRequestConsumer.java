package io.cloudsentinel.jobs.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.DlqReason;
import io.cloudsentinel.jobs.JobRequest;
import io.cloudsentinel.jobs.JobRequestCheck;
import io.cloudsentinel.jobs.JobRequestRefused;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.service.JobMetrics;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes {@code jobs.requested}. A valid request is handed to {@link JobRequestBatches}, stored as a job and
 * acknowledged once its row is committed; a database failure is retried with backoff and never acknowledged, so the
 * offset is not committed past it and a restart delivers it again. A record that fails
 * {@link JobRequestCheck}, or contradicts a stored job, is refused for good: nacked into SmallRye's dead-letter queue
 * ({@code jobs.dlq}) with its original bytes, or, when oversize, dead-lettered by {@link OversizeDeadLetters}. Either
 * way the next record runs.
 */
@ApplicationScoped
public class JobRequestConsumer {

    private static final Logger LOG = Logger.getLogger(JobRequestConsumer.class);
    /**
     * A broker that refuses a dead letter is retried at this pace until it takes it: the record must be neither lost
     * nor skipped, and a failed Uni would end the channel for every partition.
     */
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final JobRequestCheck check;
    private final JobRequestBatches batches;
    private final OversizeDeadLetters oversize;
    private final JobMetrics metrics;

    public JobRequestConsumer(JobsConfig config, JobTypes types, JobRequestBatches batches, OversizeDeadLetters oversize,
            JobMetrics metrics) {
        this.check = new JobRequestCheck(config.ingestion().maxRecordBytes(), config.ingestion().kafkaTypes(),
                types::knows, types::payloadProblems);
        this.batches = batches;
        this.oversize = oversize;
        this.metrics = metrics;
    }

    @Incoming("jobs-requested")
    public Uni<Void> consume(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("jobs-requested is a Kafka channel"));
        Headers headers = record.getHeaders();
        JobRequestCheck.Verdict verdict;
        try {
            verdict = check.check(message.getPayload(), header(headers, EventHeaders.TENANT_ID),
                    header(headers, EventHeaders.EVENT_ID));
        } catch (RuntimeException e) {
            // a record the check cannot even judge must not stop the channel either
            verdict = new JobRequestCheck.Refused(DlqReason.INVALID_JSON, "value could not be read: " + e,
                    JobRequestCheck.UNKNOWN_TYPE_LABEL, Optional.empty());
        }
        if (verdict instanceof JobRequestCheck.Refused refused) {
            return refuse(message, record, new JobRequestRefused(refused.reason(), refused.detail()),
                    refused.typeLabel(), refused.tenant());
        }
        JobRequest request = ((JobRequestCheck.Accepted) verdict).request();
        return batches.offer(request, answer -> answer.refused().ifPresentOrElse(
                refusal -> refuse(message, record, refusal, request.type(), Optional.of(request.tenant()))
                        .subscribe().with(done -> {
                        }),
                () -> message.ack()));
    }

    private Uni<Void> refuse(Message<byte[]> message, IncomingKafkaRecordMetadata<?, ?> record,
            JobRequestRefused refusal, String typeLabel, Optional<TenantId> tenant) {
        DlqReason reason = refusal.reason();
        metrics.deadLettered(typeLabel, reason.code());
        LOG.warnf("refused the job request at %s: %s: %s", at(record), reason.code(), refusal.getMessage());
        RecordHeaders extra = DeadLetterHeaders.extra(reason, tenant, record.getHeaders());
        Uni<Void> deadLettered;
        if (reason == DlqReason.OVERSIZE) {
            deadLettered = oversize.send(record, message.getPayload(), refusal, extra)
                    .chain(() -> Uni.createFrom().completionStage(message::ack));
        } else {
            // SmallRye's dead-letter queue adds these headers to the record's own, sends the original value, acks
            Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(extra).build());
            deadLettered = Uni.createFrom().completionStage(() -> message.nack(refusal, metadata));
        }
        // a failed Uni would end the channel: a broker that refuses the dead letter is waited for like a database
        return deadLettered
                .onFailure().invoke(failure -> LOG.warnf("could not dead-letter the record at %s, retrying: %s",
                        at(record), failure.toString()))
                .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_MAX).withJitter(0.2).atMost(Long.MAX_VALUE);
    }

    private static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String at(IncomingKafkaRecordMetadata<?, ?> record) {
        return record.getTopic() + "-" + record.getPartition() + "@" + record.getOffset();
    }
}

package io.cloudsentinel.jobs.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.BudgetAlertNotice;
import io.cloudsentinel.jobs.service.Notifications;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Consumes budget-service's {@code budget.alerts} and queues a notification for the tenant's webhook
 * ({@link Notifications}: nothing when it did not subscribe), deduplicated by the record's event id. A record is acked
 * once its tenant's transaction committed; a database failure is retried with backoff and never acked, so a restart
 * delivers the record again. A record that is not a valid alert, or whose values the database refuses, is logged and
 * skipped: it must not hold up the partition.
 */
@ApplicationScoped
public class BudgetAlertsConsumer {

    private static final Logger LOG = Logger.getLogger(BudgetAlertsConsumer.class);
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final TenantTransactions transactions;
    private final Notifications notifications;

    public BudgetAlertsConsumer(TenantTransactions transactions, Notifications notifications) {
        this.transactions = transactions;
        this.notifications = notifications;
    }

    @Incoming("budget-alerts")
    public Uni<Void> consume(Message<String> message) {
        IncomingKafkaRecordMetadata<?, ?> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("budget-alerts is a Kafka channel"));
        BudgetAlertNotice notice;
        try {
            notice = BudgetAlertNotice.of(message.getPayload(), header(record.getHeaders(), EventHeaders.TENANT_ID),
                    header(record.getHeaders(), EventHeaders.EVENT_ID));
        } catch (BudgetAlertNotice.Invalid e) {
            return skip(message, record, e.getMessage());
        }
        return transactions.inTenant(notice.tenant(), connection -> notifications.enqueue(connection,
                notice.tenant(), notice.eventType(), notice.eventId(), notice.data()))
                .onFailure(failure -> !isDataException(failure)).invoke(failure -> LOG.warnf(
                        "budget alert at %s not stored yet, retrying: %s", at(record), failure.toString()))
                .onFailure(failure -> !isDataException(failure)).retry().withBackOff(RETRY_FIRST, RETRY_MAX)
                .withJitter(0.2).atMost(Long.MAX_VALUE)
                .chain(() -> Uni.createFrom().completionStage(message::ack))
                .onFailure(BudgetAlertsConsumer::isDataException).recoverWithUni(failure -> skip(message, record,
                        "the database refused a value of the alert (SQLSTATE "
                                + PgErrors.sqlState(failure).orElse("?") + ")"));
    }

    private static Uni<Void> skip(Message<String> message, IncomingKafkaRecordMetadata<?, ?> record, String why) {
        LOG.warnf("skipped the budget alert at %s: %s", at(record), why);
        return Uni.createFrom().completionStage(message::ack);
    }

    /** A data exception (22xxx) comes back on every retry: the record's fault, not the database's. */
    private static boolean isDataException(Throwable failure) {
        return PgErrors.sqlState(failure).filter(state -> state.startsWith("22")).isPresent();
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

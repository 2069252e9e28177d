package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.OtlpTraceReceiver;
import io.cloudsentinel.testing.OtlpTraceReceiver.ReceivedSpan;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.PostgresServer;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;

/**
 * {@code jobs.requested} records sent by an external producer with their {@code traceparent}s through the packaged
 * job-service, exporting to an OTLP receiver.
 * <ul>
 * <li>A lone record: the consume span continues the producer's trace, the job's SQL runs in it, the outbox relay's
 * {@code jobs.events} producer span is in it too (its context stored with the outbox row and restored by the relay),
 * and the record on {@code jobs.events} carries a {@code traceparent} of that trace, naming that span as parent.</li>
 * <li>Two records of two traces stored in ONE intake transaction (held back behind the lone record's, which waits on
 * a lock the test holds): each job's PENDING, RUNNING and COMPLETED events are published in its own request's trace,
 * not in the other's nor the transaction's; the claim and the end run in no span, so only the job row's trace puts
 * the later two there.</li>
 * </ul>
 */
class JobTraceIT {

    private static final String PRODUCER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String PRODUCER_SPAN = "b7ad6b7169203331";
    private static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACE_B = "5cf92f3577b34da6a3ce929d0e0e4737";
    private static final String DATABASE = "cloudsentinel_jobs_trace";
    private static final Set<String> LIFE = Set.of("PENDING", "RUNNING", "COMPLETED");
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A job's event as read from jobs.events: its traceparent header ("none" without) and its time. */
    private record Event(String traceparent, String at) {

        String traceId() {
            return part(1);
        }

        String spanId() {
            return part(2);
        }

        private String part(int index) {
            String[] parts = traceparent.split("-");
            return parts.length == 4 ? parts[index] : "";
        }
    }

    @Test
    void everyJobsEventsIsPublishedInItsOwnRequestsTrace() throws Exception {
        TenantId tenant = TenantId.random();
        UUID lone = UUID.randomUUID();
        UUID jobA = UUID.randomUUID();
        UUID jobB = UUID.randomUUID();
        try (OtlpTraceReceiver receiver = OtlpTraceReceiver.start();
                PackagedService service = PackagedService.start(DATABASE,
                        Map.of("CS_CONTEXT_GATEWAY_KEYS", ContextKeys.generate("trace-gateway").publicKey(),
                                "CS_OTEL_ENDPOINT", receiver.endpoint()),
                        "kafka.bootstrap.servers=" + KafkaServer.shared().bootstrapServers(),
                        "cs.outbox.enabled=true", "cs.outbox.poll-interval=100ms",
                        "quarkus.otel.bsp.schedule.delay=100ms");
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaServer.shared().bootstrapServers()),
                        new StringSerializer(), new StringSerializer());
                Connection blocker = PostgresServer.shared().adminConnection(DATABASE);
                Connection watcher = PostgresServer.shared().adminConnection(DATABASE)) {
            // an uncommitted job holding the lone record's dedup key: its intake transaction waits on it, and the two
            // records sent meanwhile queue for the next batch, which then stores both in one transaction
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload,"
                        + " state, run_at, max_attempts, created_at, updated_at) VALUES ('" + tenant + "', '"
                        + UUID.randomUUID() + "', 'noop', 'traced', 'hash', 'api', '{}', 'PENDING', now(), 5, now(),"
                        + " now())");
            }
            send(producer, tenant, lone, "traced", "00-" + PRODUCER_TRACE + "-" + PRODUCER_SPAN + "-01");
            waitAtMost(WITHIN).alias("the lone record's intake waiting on the held key")
                    .until(() -> waitingOnLocks(watcher) > 0);
            send(producer, tenant, jobA, "traced-a", "00-" + TRACE_A + "-00f067aa0ba902b7-01");
            send(producer, tenant, jobB, "traced-b", "00-" + TRACE_B + "-00f067aa0ba902b8-01");
            // their consume spans end on receipt, before the records are offered for the next batch
            waitAtMost(WITHIN).alias("both records consumed while the first batch waits").until(() -> has(
                    receiver.trace(TRACE_A), SpanKind.SPAN_KIND_CONSUMER)
                    && has(receiver.trace(TRACE_B), SpanKind.SPAN_KIND_CONSUMER));
            blocker.rollback();

            Map<UUID, Map<String, Event>> events = lifeEvents(List.of(lone, jobA, jobB));

            assertLoneRecordIsOneTrace(receiver, events.get(lone).get("PENDING"));
            assertThat(events.get(jobA).get("PENDING").at()).as("both requests were stored in one transaction")
                    .isEqualTo(events.get(jobB).get("PENDING").at());
            assertLifeInTrace(receiver, "job A", events.get(jobA), TRACE_A);
            assertLifeInTrace(receiver, "job B", events.get(jobB), TRACE_B);
        }
    }

    private static void assertLoneRecordIsOneTrace(OtlpTraceReceiver receiver, Event pending) {
        AtomicReference<List<ReceivedSpan>> trace = new AtomicReference<>();
        waitAtMost(WITHIN).alias("the consume, SQL and publish spans of the producer's trace").until(() -> {
            trace.set(receiver.trace(PRODUCER_TRACE));
            return has(trace.get(), SpanKind.SPAN_KIND_CONSUMER) && publishSpan(trace.get(), pending) != null
                    && trace.get().stream().anyMatch(JobTraceIT::isSql);
        });
        List<ReceivedSpan> spans = trace.get();
        String seen = seen(spans);
        ReceivedSpan consumed = spans.stream().filter(span -> span.kind() == SpanKind.SPAN_KIND_CONSUMER)
                .findFirst().orElseThrow();
        assertThat(consumed.service()).isEqualTo("job-service");
        assertThat(consumed.parentSpanId()).as("the consume span continues the producer's" + seen)
                .isEqualTo(PRODUCER_SPAN);
        ReceivedSpan published = publishSpan(spans, pending);
        assertThat(published.attribute("messaging.destination.name")).isEqualTo(Topics.JOBS_EVENTS);
        assertThat(spans.stream().map(ReceivedSpan::spanId)).as("the publish span's parent is in the trace" + seen)
                .contains(published.parentSpanId());
        assertThat(pending.traceparent()).as("the jobs.events record continues the trace, from the publish span")
                .isEqualTo("00-" + PRODUCER_TRACE + "-" + published.spanId() + "-01");
    }

    /** Each of the job's events names its request's trace and a publish span of it, exported in that trace. */
    private static void assertLifeInTrace(OtlpTraceReceiver receiver, String job, Map<String, Event> life,
            String traceId) {
        Map<String, String> traces = new HashMap<>();
        life.forEach((state, event) -> traces.put(state, event.traceId()));
        assertThat(traces).as(job + "'s events' trace ids, by state (" + life + ")")
                .isEqualTo(Map.of("PENDING", traceId, "RUNNING", traceId, "COMPLETED", traceId));
        AtomicReference<List<ReceivedSpan>> trace = new AtomicReference<>();
        waitAtMost(WITHIN).alias(job + "'s publish spans in its trace").until(() -> {
            trace.set(receiver.trace(traceId));
            return life.values().stream().allMatch(event -> publishSpan(trace.get(), event) != null);
        });
        Set<String> ids = trace.get().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        life.forEach((state, event) -> assertThat(ids).as(job + "'s " + state + " publish span's parent is in its"
                + " trace" + seen(trace.get())).contains(publishSpan(trace.get(), event).parentSpanId()));
    }

    /** The {@code publish jobs.events} span the event's traceparent names, if exported in the spans. */
    private static ReceivedSpan publishSpan(List<ReceivedSpan> spans, Event event) {
        return spans.stream().filter(span -> span.kind() == SpanKind.SPAN_KIND_PRODUCER
                && span.name().equals("publish " + Topics.JOBS_EVENTS) && span.traceId().equals(event.traceId())
                && span.spanId().equals(event.spanId())).findFirst().orElse(null);
    }

    private static void send(KafkaProducer<String, String> producer, TenantId tenant, UUID job, String dedupKey,
            String traceparent) throws Exception {
        String value = "{\"schemaVersion\":1,\"jobId\":\"" + job + "\",\"tenantId\":\"" + tenant
                + "\",\"jobType\":\"noop\",\"dedupKey\":\"" + dedupKey + "\",\"payload\":{\"holdMillis\":0}}";
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.JOBS_REQUESTED, tenant.toString(), value);
        EventHeaders.newEvent(tenant, traceparent).writeTo(record.headers());
        producer.send(record).get();
    }

    private static long waitingOnLocks(Connection watcher) throws Exception {
        try (PreparedStatement statement = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static boolean has(List<ReceivedSpan> spans, SpanKind kind) {
        return spans.stream().anyMatch(span -> span.kind() == kind);
    }

    private static boolean isSql(ReceivedSpan span) {
        return span.attributes().keySet().stream().anyMatch(key -> key.startsWith("db."));
    }

    private static String seen(List<ReceivedSpan> spans) {
        return spans.stream().map(span -> span.kind() + " " + span.name() + " " + span.spanId() + "<-"
                + span.parentSpanId()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /** The PENDING, RUNNING and COMPLETED events of the jobs on jobs.events, once the relay published them all. */
    private static Map<UUID, Map<String, Event>> lifeEvents(List<UUID> jobs) throws Exception {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaServer.shared().bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-it-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<UUID, Map<String, Event>> found = new HashMap<>();
        jobs.forEach(job -> found.put(job, new HashMap<>()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS_EVENTS).stream()
                    .map(partition -> new TopicPartition(Topics.JOBS_EVENTS, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            waitAtMost(WITHIN).alias("the jobs' PENDING, RUNNING and COMPLETED events on jobs.events").until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = JSON.readTree(record.value());
                    Map<String, Event> life = found.get(uuid(event.path("jobId").asText()));
                    String state = event.path("state").asText();
                    if (life != null && LIFE.contains(state)) {
                        Header traceparent = record.headers().lastHeader(EventHeaders.TRACEPARENT);
                        life.put(state, new Event(traceparent == null ? "none"
                                : new String(traceparent.value(), StandardCharsets.UTF_8), event.path("at").asText()));
                    }
                }
                return found.values().stream().allMatch(life -> life.keySet().equals(LIFE));
            });
        }
        return found;
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

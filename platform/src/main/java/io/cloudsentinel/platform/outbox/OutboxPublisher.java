package io.cloudsentinel.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudsentinel.platform.tracing.SpanTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * Sends a batch of outbox rows with an idempotent producer ({@code acks=all}) and tells, row by row, whether the
 * broker acknowledged it. The plain Kafka client is used rather than a messaging channel because the relay must know,
 * per row and before it deletes the rows in its own transaction, that the broker has them.
 */
public class OutboxPublisher implements AutoCloseable {

    /** The instrumentation scope of the relay's producer spans. */
    public static final String INSTRUMENTATION = "io.cloudsentinel.outbox";

    /**
     * One claimed row, as it goes to Kafka; {@code trace} the span context the writing transaction ran in, or null.
     */
    public record Row(long id, String topic, String key, Map<String, String> headers, String payload, SpanTrace trace) {

        public Row(long id, String topic, String key, Map<String, String> headers, String payload) {
            this(id, topic, key, headers, payload, null);
        }
    }

    private final KafkaProducer<String, String> producer;
    private final Duration timeout;
    private final Tracer tracer;

    public OutboxPublisher(String bootstrapServers, Duration timeout) {
        this(bootstrapServers, timeout, Map.of());
    }

    /** @param security {@code security.protocol}, {@code sasl.*}, {@code ssl.*} (see {@code KafkaClientSecurity}) */
    public OutboxPublisher(String bootstrapServers, Duration timeout, Map<String, String> security) {
        this(bootstrapServers, timeout, security, OpenTelemetry.noop().getTracer(INSTRUMENTATION));
    }

    /**
     * @param tracer makes each traced row's producer span (a no-op tracer still hands the stored context on, so the
     *        consumer continues the writer's trace)
     */
    public OutboxPublisher(String bootstrapServers, Duration timeout, Map<String, String> security, Tracer tracer) {
        this.tracer = tracer;
        Properties properties = new Properties();
        properties.putAll(security);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"); // ordered with idempotence
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 5_000)));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 10_000)));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(timeout.toMillis(), 15_000)));
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        this.timeout = timeout;
    }

    /**
     * What became of one row of a batch: acknowledged, failed (with why), or held back unsent because an earlier row
     * of its key failed in this batch (its key's order comes first) or the broker was unreachable.
     */
    public record Delivery(Row row, Optional<Throwable> failure, boolean sent) {

        static Delivery held(Row row) {
            return new Delivery(row, Optional.empty(), false);
        }

        public boolean acked() {
            return sent && failure.isEmpty();
        }

        /** A failure a later attempt may mend (the broker away, a timeout), as Kafka classifies it. */
        public boolean retriable() {
            return failure.filter(cause -> cause instanceof RetriableException
                    || cause instanceof java.util.concurrent.TimeoutException).isPresent();
        }
    }

    /**
     * Sends the rows in order and completes, within the timeout, with what became of each one. A row that fails at
     * once holds back the later rows of its key; one that fails at once because the broker is unreachable holds back
     * the rest of the batch: while it is away each send blocks up to {@code max.block.ms} for metadata, and a batch of
     * a thousand rows must not wait a thousand times.
     */
    public CompletableFuture<List<Delivery>> send(List<Row> rows) {
        List<CompletableFuture<Delivery>> deliveries = new ArrayList<>(rows.size());
        Set<String> failedKeys = new HashSet<>();
        boolean unreachable = false;
        for (Row row : rows) {
            String key = row.topic() + "\n" + row.key();
            if (unreachable || failedKeys.contains(key)) {
                deliveries.add(CompletableFuture.completedFuture(Delivery.held(row)));
                continue;
            }
            ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
            row.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            Span span = row.trace() == null ? null : producerSpan(row, record);
            CompletableFuture<Delivery> delivery = new CompletableFuture<>();
            try {
                producer.send(record, (metadata, failure) -> delivery.complete(
                        new Delivery(row, Optional.ofNullable(failure), true)));
            } catch (RuntimeException e) {
                delivery.complete(new Delivery(row, Optional.of(e), true));
            }
            if (span != null) {
                delivery.whenComplete((done, ignored) -> end(span, done));
            }
            Delivery now = delivery.getNow(null);
            if (now != null && now.failure().isPresent()) {
                failedKeys.add(key);
                unreachable = now.retriable();
            }
            deliveries.add(delivery.completeOnTimeout(new Delivery(row, Optional.of(
                    new java.util.concurrent.TimeoutException("no acknowledgement within " + timeout)), true),
                    timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.allOf(deliveries.toArray(CompletableFuture<?>[]::new))
                .thenApply(done -> deliveries.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The row's producer span, a child of the context stored with it, whose own context replaces the row's
     * {@code traceparent}/{@code tracestate} headers: the consumer's span is then its child, in the writer's trace.
     */
    private Span producerSpan(Row row, ProducerRecord<String, String> record) {
        Map<String, String> stored = Map.of(SpanTrace.TRACEPARENT, row.trace().traceparent(), SpanTrace.TRACESTATE,
                row.trace().tracestate() == null ? "" : row.trace().tracestate());
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), stored, STORED);
        Span span = tracer.spanBuilder("publish " + row.topic()).setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "publish")
                .setAttribute("messaging.destination.name", row.topic())
                .startSpan();
        record.headers().remove(SpanTrace.TRACEPARENT);
        record.headers().remove(SpanTrace.TRACESTATE);
        W3CTraceContextPropagator.getInstance().inject(parent.with(span), record.headers(),
                (headers, name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return span;
    }

    private static void end(Span span, Delivery delivery) {
        if (delivery != null && delivery.failure().isPresent()) {
            span.recordException(delivery.failure().get());
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private static final TextMapGetter<Map<String, String>> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

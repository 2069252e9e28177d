package io.cloudsentinel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.outbox.OutboxPublisher;
import io.cloudsentinel.testing.KafkaServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The relay's publication of a row that stored a span context: a producer span whose parent is the stored one, and
 * the record's {@code traceparent} naming that producer span (the client's old one replaced); a no-op tracer (tracing
 * off) still hands the stored context on; a row without one keeps its headers' {@code traceparent}. Real broker.
 */
class OutboxTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String WRITER_SPAN = "00f067aa0ba902b7";
    private static final SpanTrace STORED = new SpanTrace("00-" + TRACE + "-" + WRITER_SPAN + "-01", "vendor=opaque");
    private static final String OLD = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void aStoredContextIsTheParentOfTheProducerSpanAndTheRecordNamesThatSpan() throws Exception {
        List<SpanData> exported = new CopyOnWriteArrayList<>();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(collecting(exported))).build();
        String topic = "traced-" + UUID.randomUUID();
        try (OutboxPublisher publisher = new OutboxPublisher(KafkaServer.shared().bootstrapServers(),
                Duration.ofSeconds(30), Map.of(), provider.get(OutboxPublisher.INSTRUMENTATION))) {
            assertThat(publisher.send(List.of(new OutboxPublisher.Row(1, topic, "k", Map.of("traceparent", OLD),
                    "{}", STORED))).get()).singleElement().satisfies(delivery -> assertThat(delivery.acked()).isTrue());
        } finally {
            provider.shutdown();
        }

        assertThat(exported).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getName()).isEqualTo("publish " + topic);
            assertThat(span.getTraceId()).isEqualTo(TRACE);
            assertThat(span.getParentSpanId()).isEqualTo(WRITER_SPAN);
            assertThat(span.hasEnded()).isTrue();
        });
        ConsumerRecord<String, String> record = readOne(topic);
        assertThat(headers(record, "traceparent")).containsExactly("00-" + TRACE + "-"
                + exported.get(0).getSpanId() + "-01");
        assertThat(headers(record, "tracestate")).containsExactly("vendor=opaque");
    }

    @Test
    void withTracingOffTheStoredContextPassesOnAndARowWithoutOneKeepsItsHeader() throws Exception {
        String topic = "untraced-" + UUID.randomUUID();
        try (OutboxPublisher publisher = new OutboxPublisher(KafkaServer.shared().bootstrapServers(),
                Duration.ofSeconds(30), Map.of(), OpenTelemetry.noop().getTracer("off"))) {
            publisher.send(List.of(new OutboxPublisher.Row(1, topic, "a", Map.of("traceparent", OLD), "{}", STORED),
                    new OutboxPublisher.Row(2, topic, "a", Map.of("traceparent", OLD), "{}"))).get();
        }
        List<ConsumerRecord<String, String>> records = read(topic, 2);
        assertThat(headers(records.get(0), "traceparent")).containsExactly(STORED.traceparent());
        assertThat(headers(records.get(1), "traceparent")).containsExactly(OLD);
    }

    private static List<String> headers(ConsumerRecord<String, String> record, String name) {
        List<String> values = new ArrayList<>();
        for (Header header : record.headers().headers(name)) {
            values.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static ConsumerRecord<String, String> readOne(String topic) {
        return read(topic, 1).get(0);
    }

    private static List<ConsumerRecord<String, String>> read(String topic, int count) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaServer.shared().bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "tracing-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        assertThat(read).hasSize(count);
        return read;
    }

    private static SpanExporter collecting(List<SpanData> into) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                into.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }
}

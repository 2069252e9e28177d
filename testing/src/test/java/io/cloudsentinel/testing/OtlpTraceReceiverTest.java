package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/** What an exporter posts (plain or gzip) is decoded into spans with their service, ids and parent. */
class OtlpTraceReceiverTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";
    private static final String CHILD = "b7ad6b7169203331";

    @Test
    void decodesExportedSpansPlainAndGzipped() throws Exception {
        try (OtlpTraceReceiver receiver = OtlpTraceReceiver.start()) {
            byte[] request = request().toByteArray();

            assertThat(post(receiver.endpoint() + "/v1/traces", request, false)).isEqualTo(200);
            assertThat(post(receiver.endpoint() + "/v1/traces", request, true)).isEqualTo(200);
            assertThat(post(receiver.endpoint() + "/v1/metrics", request, false)).isEqualTo(404);

            assertThat(receiver.trace(TRACE)).hasSize(2).allSatisfy(span -> {
                assertThat(span.service()).isEqualTo("budget-service");
                assertThat(span.spanId()).isEqualTo(CHILD);
                assertThat(span.parentSpanId()).isEqualTo(PARENT);
                assertThat(span.isRoot()).isFalse();
                assertThat(span.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
                assertThat(span.name()).isEqualTo("GET /api/v1/budgets/me");
                assertThat(span.attribute("http.response.status_code")).isEqualTo("200");
            });
            assertThat(receiver.trace("0af7651916cd43dd8448eb211c80319c")).isEmpty();
        }
    }

    private static ExportTraceServiceRequest request() {
        HexFormat hex = HexFormat.of();
        Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(hex.parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(hex.parseHex(CHILD)))
                .setParentSpanId(ByteString.copyFrom(hex.parseHex(PARENT)))
                .setName("GET /api/v1/budgets/me").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                        .setValue(AnyValue.newBuilder().setIntValue(200)))
                .build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("budget-service"))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }

    private static int post(String url, byte[] body, boolean gzip) throws Exception {
        byte[] sent = body;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-protobuf");
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(body);
            }
            sent = zipped.toByteArray();
            request.header("Content-Encoding", "gzip");
        }
        return HttpClient.newHttpClient().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

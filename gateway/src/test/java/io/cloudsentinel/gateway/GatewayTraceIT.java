package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.OtlpTraceReceiver;
import io.cloudsentinel.testing.OtlpTraceReceiver.ReceivedSpan;
import io.cloudsentinel.testing.PackagedService;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

/**
 * One request through the packaged gateway to the packaged budget-service, both exporting to one OTLP receiver:
 * their spans form ONE trace, budget-service's server span is the child of a gateway span, its SQL spans sit under it,
 * and the trace is the gateway's own, not the one the client named in its {@code traceparent}. A line logged in a
 * request's span names its trace and span ids in the JSON log.
 */
class GatewayTraceIT {

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String EXPORT_QUICKLY = "quarkus.otel.bsp.schedule.delay=100ms";

    @Test
    void aRequestIsOneTraceAcrossGatewayAndBudgetService() throws Exception {
        ContextKeys.Generated contextKey = ContextKeys.generate("trace-gateway");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair identityProvider = generator.generateKeyPair();
        Path publicKey = Files.createTempFile("trace-idp-", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(identityProvider.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        String token = Jwt.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("tracer")
                .claim("tenant_id", TenantId.random().toString()).groups(Set.of(Roles.TENANT_USER))
                .expiresIn(Duration.ofMinutes(10)).jws().sign(identityProvider.getPrivate());

        try (OtlpTraceReceiver receiver = OtlpTraceReceiver.start();
                PackagedService budget = PackagedService.start(Path.of(System.getProperty("budget.jar")),
                        "cloudsentinel_budget_trace", Map.of("CS_CONTEXT_GATEWAY_KEYS", contextKey.publicKey(),
                                "CS_OTEL_ENDPOINT", receiver.endpoint()),
                        EXPORT_QUICKLY);
                PackagedService gateway = PackagedService.start(Path.of(System.getProperty("service.jar")),
                        "cloudsentinel_gateway_trace", Map.of("CS_CONTEXT_SIGNING_KEY", contextKey.signingKey(),
                                "CS_JWT_PUBLIC_KEY_LOCATION", publicKey.toString(),
                                "CS_SERVICE_URL_BUDGET", "http://127.0.0.1:" + budget.port,
                                "KAFKA_BOOTSTRAP_SERVERS", KafkaServer.shared().bootstrapServers(),
                                "CS_OTEL_ENDPOINT", receiver.endpoint()),
                        EXPORT_QUICKLY, "quarkus.log.category.\"io.cloudsentinel.gateway.EdgeRoutes\".level=DEBUG")) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/api/v1/budgets/me"))
                    .header("Authorization", "Bearer " + token)
                    .header("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

            ReceivedSpan served = await(receiver, "budget-service's server span", () -> receiver.spans().stream()
                    .filter(span -> span.service().equals("budget-service") && span.kind() == SpanKind.SPAN_KIND_SERVER
                            && span.name().contains("/api/v1/budgets/me"))
                    .findFirst());
            List<ReceivedSpan> gatewaySpans = await(receiver, "the gateway's spans of that trace", () -> Optional
                    .of(receiver.trace(served.traceId()).stream().filter(span -> span.service().equals("gateway"))
                            .toList())
                    .filter(spans -> spans.stream().anyMatch(span -> span.kind() == SpanKind.SPAN_KIND_SERVER)));

            assertThat(served.traceId()).as("the client does not pick the gateway's trace").isNotEqualTo(CLIENT_TRACE);
            ReceivedSpan edge = gatewaySpans.stream().filter(span -> span.kind() == SpanKind.SPAN_KIND_SERVER)
                    .findFirst().orElseThrow();
            assertThat(edge.isRoot()).as("the gateway's server span starts the trace").isTrue();
            // the proxied call: the gateway's client span, under its server span, is budget-service's parent
            assertThat(gatewaySpans).filteredOn(span -> span.spanId().equals(served.parentSpanId())).singleElement()
                    .satisfies(call -> {
                        assertThat(call.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
                        assertThat(call.parentSpanId()).isEqualTo(edge.spanId());
                    });
            List<ReceivedSpan> sql = await(receiver, "budget-service's SQL spans under its server span", () -> Optional
                    .of(receiver.trace(served.traceId()).stream()
                            .filter(span -> span.service().equals("budget-service") && isSql(span)).toList())
                    .filter(spans -> !spans.isEmpty()));
            assertThat(sql).allSatisfy(span -> assertThat(span.parentSpanId()).isNotEmpty());

            // a line logged inside a request's span carries its trace and span ids (JSON logs, MDC)
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port
                    + "/api/v1/budgets/me")).header("Authorization", "Bearer not-a-token").GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            JsonObject refused = await(receiver, "the JSON log line of the refused token", () -> gateway.log().lines()
                    .filter(line -> line.startsWith("{") && line.contains("token refused")).findFirst()
                    .map(JsonObject::new));
            JsonObject mdc = refused.getJsonObject("mdc");
            assertThat(mdc.getString("traceId")).as(refused.encode()).matches("[0-9a-f]{32}");
            assertThat(mdc.getString("spanId")).as(refused.encode()).matches("[0-9a-f]{16}");
            await(receiver, "the refused request's span named in that line", () -> receiver
                    .trace(mdc.getString("traceId")).stream()
                    .filter(span -> span.spanId().equals(mdc.getString("spanId"))).findFirst());
        }
    }

    private static boolean isSql(ReceivedSpan span) {
        return span.attributes().keySet().stream().anyMatch(key -> key.startsWith("db."));
    }

    /** Waits for what the exporters send (they batch), up to 30 s; fails naming what never came. */
    private static <T> T await(OtlpTraceReceiver receiver, String what, Supplier<Optional<T>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = condition.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never received " + what + "; received: " + receiver.spans().stream()
                .map(span -> span.service() + " " + span.kind() + " " + span.name() + " " + span.traceId() + "/"
                        + span.spanId() + "<-" + span.parentSpanId())
                .collect(Collectors.joining("\n  ", "\n  ", "")));
    }
}

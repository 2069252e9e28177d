package io.cloudsentinel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One key turns tracing on and names where it goes; without it the SDK is off. */
class TracingSwitchTest {

    @Test
    void withoutAnEndpointTheSdkIsOffAndNothingIsExported() {
        assertThat(TracingSwitch.settings(null, null)).containsEntry("quarkus.otel.sdk.disabled", "true")
                .doesNotContainKey("quarkus.otel.exporter.otlp.traces.endpoint");
        assertThat(TracingSwitch.settings("  ", null)).containsEntry("quarkus.otel.sdk.disabled", "true");
    }

    @Test
    void anEndpointTurnsItOnOverOtlpHttpWithParentBasedRatioSampling() {
        assertThat(TracingSwitch.settings(" http://collector:4318 ", "0.25"))
                .containsEntry("quarkus.otel.sdk.disabled", "false")
                .containsEntry("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318")
                .containsEntry("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf")
                .containsEntry("quarkus.otel.traces.sampler", "parentbased_traceidratio")
                .containsEntry("quarkus.otel.traces.sampler.arg", "0.25");
        assertThat(TracingSwitch.settings("http://collector:4318", null))
                .containsEntry("quarkus.otel.traces.sampler.arg", "1.0");
    }
}

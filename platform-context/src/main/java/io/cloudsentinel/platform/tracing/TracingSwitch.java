package io.cloudsentinel.platform.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is named: {@code cs.otel.endpoint} ({@code CS_OTEL_ENDPOINT}) turns the
 * OpenTelemetry SDK on and points its OTLP/HTTP trace exporter there; without it the SDK is disabled (a no-op: no
 * spans, no exporter). One switch instead of two that must agree. The values sit below application.properties and the
 * environment, so an explicit {@code quarkus.otel.*} setting still wins. In platform-context, so that the gateway and
 * every service read the same switch (a {@link ConfigSourceFactory} registered in META-INF/services).
 */
public class TracingSwitch implements ConfigSourceFactory {

    public static final String ENDPOINT = "cs.otel.endpoint";
    public static final String SAMPLE_RATIO = "cs.otel.sample-ratio";
    /** Between the jars' microprofile-config.properties (100) and application.properties (250). */
    static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new MapBackedConfigSource("cs-tracing-switch", settings(value(context, ENDPOINT),
                value(context, SAMPLE_RATIO)), ORDINAL) {
        });
    }

    /** The OpenTelemetry settings for an endpoint (null or blank: off) and a sampling ratio (null: every trace). */
    public static Map<String, String> settings(String endpoint, String sampleRatio) {
        Map<String, String> settings = new HashMap<>();
        boolean on = endpoint != null && !endpoint.isBlank();
        settings.put("quarkus.otel.sdk.disabled", Boolean.toString(!on));
        // a trace starts here with this probability; a caller's sampled decision is followed (parent-based)
        settings.put("quarkus.otel.traces.sampler", "parentbased_traceidratio");
        settings.put("quarkus.otel.traces.sampler.arg", sampleRatio == null || sampleRatio.isBlank() ? "1.0"
                : sampleRatio.strip());
        if (on) {
            settings.put("quarkus.otel.exporter.otlp.traces.endpoint", endpoint.strip());
            settings.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        }
        return settings;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}

package io.cloudsentinel.platform.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.testing.ContextTestKeys;

/** Which context keys refuse a start outside dev and test: those whose private halves are published here. */
class ContextKeyPolicyTest {

    @Test
    void thePublishedTestGatewayKeyIsAProblemWhereverItIsConfigured() {
        assertThat(ContextKeyPolicy.problems(ContextConfigs.receiver("probe", List.of(ContextTestKeys.GATEWAY_PUBLIC),
                List.of()))).singleElement().asString().contains("cs.context.gateway-keys")
                .contains("test-gateway").contains("published");
        assertThat(ContextKeyPolicy.problems(ContextConfigs.signer(ContextTestKeys.GATEWAY_PRIVATE)))
                .singleElement().asString().contains("cs.context.signing-key");
    }

    @Test
    void aPublishedKeyIsRecognisedByItsKeyNotItsId() {
        String renamed = "prod-2026-12" + ContextTestKeys.SERVICE_PUBLIC.substring("test-service".length());
        assertThat(ContextKeyPolicy.problems(ContextConfigs.receiver("probe",
                List.of(ContextKeys.generate("gw").publicKey()), List.of(renamed))))
                .singleElement().asString().contains("cs.context.service-keys").contains("prod-2026-12");
    }

    @Test
    void aServiceWithoutAGatewayKeyIsAProblemTheGatewayItselfIsNot() {
        assertThat(ContextKeyPolicy.problems(ContextConfigs.receiver("probe", List.of(), List.of())))
                .singleElement().asString().contains("cs.context.gateway-keys").contains("is empty");
        assertThat(ContextKeyPolicy.problems(ContextConfigs.signer(ContextKeys.generate("gw").signingKey())))
                .isEmpty();
    }

    @Test
    void freshKeysAreFine() {
        ContextKeys.Generated gateway = ContextKeys.generate("gw-1");
        ContextKeys.Generated service = ContextKeys.generate("job-service-1");
        assertThat(ContextKeyPolicy.problems(ContextConfigs.receiver("probe", List.of(gateway.publicKey()),
                List.of(service.publicKey())))).isEmpty();
        assertThat(ContextKeyPolicy.problems(ContextConfigs.signer(gateway.signingKey()))).isEmpty();
    }

    @Test
    void prodRefusesToStartWithAProblemAndSaysHowToFixIt() {
        assertThatThrownBy(
                () -> ContextKeyPolicy.enforce(java.util.List.of("cs.context.gateway-keys holds a published key"), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start: cs.context.gateway-keys holds a published key");
    }

    @Test
    void otherProfilesOnlyWarn() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // JBoss Logging writes through the JBoss LogManager, which is java.util.logging underneath
        Logger policyLog = Logger.getLogger(ContextKeyPolicy.class.getName());
        policyLog.addHandler(capture);
        try {
            ContextKeyPolicy.enforce(java.util.List.of("cs.context.gateway-keys holds a published key"), false);
        } finally {
            policyLog.removeHandler(capture);
        }

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel().intValue()).isEqualTo(Level.WARNING.intValue());
            assertThat(record.getLoggerName()).isEqualTo(ContextKeyPolicy.class.getName());
            assertThat(text(record)).isEqualTo("unsafe outside development: cs.context.gateway-keys holds a published key");
        });
    }

    /** The message as it is printed: JBoss Logging hands printf-style parameters over unformatted. */
    private static String text(LogRecord record) {
        Object[] parameters = record.getParameters();
        return parameters == null || parameters.length == 0 ? record.getMessage()
                : String.format(record.getMessage(), parameters);
    }

    @Test
    void everyLaunchButDevModeAndTestsIsStrictWhateverTheProfileIsCalled() {
        assertThat(StrictLaunch.isStrict(io.quarkus.runtime.LaunchMode.NORMAL)).isTrue();
        assertThat(StrictLaunch.isStrict(io.quarkus.runtime.LaunchMode.DEVELOPMENT)).isFalse();
        assertThat(StrictLaunch.isStrict(io.quarkus.runtime.LaunchMode.TEST)).isFalse();
    }
}

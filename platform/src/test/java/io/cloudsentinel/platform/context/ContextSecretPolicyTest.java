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

class ContextSecretPolicyTest {

    @Test
    void aShortSecretIsAProblem() {
        assertThat(ContextSecretPolicy.problems(ContextConfigs.fixed("short")))
                .singleElement().asString().contains("shorter than 32 bytes");
    }

    @Test
    void aPublishedExampleIsAProblemHoweverLong() {
        assertThat(ContextSecretPolicy.problems(ContextConfigs.fixed("test-only-context-secret-0123456789abcdef")))
                .singleElement().asString().contains("published example");
    }

    @Test
    void aShortPreviousSecretIsAProblemToo() {
        assertThat(ContextSecretPolicy.problems(
                ContextConfigs.fixed("a-long-and-private-secret-of-forty-bytes!!", "tiny")))
                .singleElement().asString().contains("previous-secrets");
    }

    @Test
    void aLongPrivateSecretIsFine() {
        assertThat(ContextSecretPolicy.problems(ContextConfigs.fixed("a-long-and-private-secret-of-forty-bytes!!")))
                .isEmpty();
    }

    @Test
    void prodRefusesToStartWithAProblemAndSaysHowToFixIt() {
        assertThatThrownBy(() -> ContextSecretPolicy.enforce(java.util.List.of("cs.context.secret is short"), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start: cs.context.secret is short");
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
        Logger policyLog = Logger.getLogger(ContextSecretPolicy.class.getName());
        policyLog.addHandler(capture);
        try {
            ContextSecretPolicy.enforce(java.util.List.of("cs.context.secret is short"), false);
        } finally {
            policyLog.removeHandler(capture);
        }

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel().intValue()).isEqualTo(Level.WARNING.intValue());
            assertThat(record.getLoggerName()).isEqualTo(ContextSecretPolicy.class.getName());
            assertThat(text(record)).isEqualTo("unsafe outside development: cs.context.secret is short");
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

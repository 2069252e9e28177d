package io.cloudsentinel.platform.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        ContextSecretPolicy.enforce(java.util.List.of("cs.context.secret is short"), false);
    }
}

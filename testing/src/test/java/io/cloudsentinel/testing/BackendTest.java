package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void anExternalServerWinsAndDockerIsNotEvenAsked() {
        AtomicBoolean asked = new AtomicBoolean();

        Backend backend = Backend.choose("jdbc:postgresql://db:5432/postgres", () -> asked.getAndSet(true));

        assertThat(backend).isEqualTo(Backend.EXTERNAL);
        assertThat(asked).isFalse();
    }

    @Test
    void testcontainersOnlyWhenDockerAnswers() {
        assertThat(Backend.choose(null, () -> true)).isEqualTo(Backend.TESTCONTAINERS);
        assertThat(Backend.choose("  ", () -> true)).isEqualTo(Backend.TESTCONTAINERS);
    }

    @Test
    void embeddedWhenNothingElseIsThere() {
        assertThat(Backend.choose(null, () -> false)).isEqualTo(Backend.EMBEDDED);
    }
}

package io.cloudsentinel.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void eachSubcommandReadsItsOwnEnvironment() {
        Map<String, String> env = Map.of(
                "CS_BOOTSTRAP_ADMIN_JDBC_URL", "jdbc:postgresql://pg/postgres",
                "CS_BOOTSTRAP_ADMIN_USER", "postgres", "CS_BOOTSTRAP_ADMIN_PASSWORD", "a",
                "CS_BOOTSTRAP_OWNER_PASSWORD", "o", "CS_BOOTSTRAP_APP_PASSWORD", "p",
                "CS_BOOTSTRAP_DATABASES", "cloudsentinel_jobs",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");

        assertThat(Bootstrap.parse(new String[] { "database" }, env)).isInstanceOf(Bootstrap.DatabaseCommand.class);
        assertThat(Bootstrap.parse(new String[] { "topics" }, env)).isInstanceOf(Bootstrap.TopicsCommand.class);
        assertThatThrownBy(() -> Bootstrap.parse(new String[] { "topics" }, Map.of()))
                .hasMessage("KAFKA_BOOTSTRAP_SERVERS is required");
    }

    @Test
    void aWrongCommandLineOrEnvironmentExitsWithTwoAndTheUsageBeforeContactingAnything() {
        assertThat(run(Map.of())).isEqualTo(Bootstrap.EXIT_CONFIG);
        assertThat(run(Map.of(), "migrate")).isEqualTo(Bootstrap.EXIT_CONFIG);
        assertThat(run(Map.of(), "database", "topics")).isEqualTo(Bootstrap.EXIT_CONFIG);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Bootstrap.run(new String[] { "database" }, Map.of(), new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Bootstrap.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("bootstrap: CS_BOOTSTRAP_ADMIN_JDBC_URL is required")
                .contains("usage: bootstrap database | topics");
    }

    @Test
    void aServerThatDoesNotAnswerExitsWithOne() {
        // port 1 on loopback refuses at once: the command ran and failed, it was not a configuration error
        Map<String, String> env = Map.of(
                "CS_BOOTSTRAP_ADMIN_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2",
                "CS_BOOTSTRAP_ADMIN_USER", "postgres", "CS_BOOTSTRAP_ADMIN_PASSWORD", "a",
                "CS_BOOTSTRAP_OWNER_PASSWORD", "o", "CS_BOOTSTRAP_APP_PASSWORD", "p",
                "CS_BOOTSTRAP_DATABASES", "cloudsentinel_jobs");

        assertThat(run(env, "database")).isEqualTo(Bootstrap.EXIT_FAILED);
    }

    private static int run(Map<String, String> env, String... args) {
        return Bootstrap.run(args, env, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
    }
}

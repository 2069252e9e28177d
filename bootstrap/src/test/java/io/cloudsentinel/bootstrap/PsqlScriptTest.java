package io.cloudsentinel.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PsqlScriptTest {

    @Test
    void variablesBecomeQuotedLiteralsSoAPasswordCannotInjectSql() {
        PsqlScript script = PsqlScript.parse("ALTER ROLE x PASSWORD :'pw';\n", Map.of("pw", "a'; DROP TABLE t; --"));

        assertThat(script.commands()).containsExactly(
                new PsqlScript.Command("ALTER ROLE x PASSWORD 'a''; DROP TABLE t; --'", false));
    }

    @Test
    void statementsSpanLinesAndGexecMarksGeneratedStatements() {
        String text = """
                -- a comment
                SELECT 'CREATE ROLE r'
                  WHERE true\\gexec
                ALTER ROLE r
                    LOGIN;
                """;

        assertThat(PsqlScript.parse(text, Map.of()).commands()).containsExactly(
                new PsqlScript.Command("SELECT 'CREATE ROLE r'\n  WHERE true", true),
                new PsqlScript.Command("ALTER ROLE r\n    LOGIN", false));
    }

    @Test
    void anUnsetVariableIsRefusedRatherThanLeftInTheSql() {
        assertThatThrownBy(() -> PsqlScript.parse("SELECT :'missing';", Map.of()))
                .hasMessageContaining("'missing' is not set");
    }

    @Test
    void theShippedScriptParsesWithTheVariablesItNeeds() {
        var settings = new DatabaseBootstrap.Settings("o", "a", List.of("cloudsentinel_budget"));

        assertThat(PsqlScript.parse(DatabaseBootstrap.script(), settings.variables()).commands())
                .extracting(PsqlScript.Command::sql)
                .anySatisfy(sql -> assertThat(sql).contains("NOBYPASSRLS").contains("cs_app"));
    }

    @Test
    void databaseNamesAreRestrictedToPlainIdentifiers() {
        assertThatThrownBy(() -> new DatabaseBootstrap.Settings("o", "a", List.of("x\"; DROP")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;

/** The JDK's physical-limit driver: statements written for the reactive client, pipelined, on real PostgreSQL. */
class JdbcLoadTest {

    private static final String DATABASE = "cloudsentinel_jdbc_load_check";
    /** A transaction-local setting read back by the next statement: both must run in the one transaction. */
    private static final PipelinedStatements SET_AND_READ = PipelinedStatements.of(
            "SELECT set_config('app.tenant_id', $1, true)",
            "SELECT current_setting('app.tenant_id') = $1 AND $2 + $2 = 4 AS same");

    private static PostgresServer postgres;

    @BeforeAll
    static void database() {
        postgres = PostgresServer.shared();
        postgres.bootstrap(DATABASE);
    }

    @Test
    void numberedParametersBecomeOneQuestionMarkPerUseAcrossTheStatements() {
        PipelinedStatements statements = PipelinedStatements.of("BEGIN", "SELECT $2, $1, $2", "SELECT $1", "COMMIT");

        assertThat(statements.sql()).isEqualTo("BEGIN;\nSELECT ?, ?, ?;\nSELECT ?;\nCOMMIT");
    }

    @Test
    void theLastStatementWithRowsDecidesEvenWithTheCommitInThePipeline() throws Exception {
        PipelinedStatements statements = PipelinedStatements.of("BEGIN", "SELECT $1 AS first", "SELECT $1 + 1 AS last",
                "COMMIT");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE),
                DatabaseBootstrap.APP_ROLE, PostgresServer.APP_PASSWORD);
                PreparedStatement statement = statements.prepare(connection)) {
            assertThat(statements.execute(statement, rows -> rows.next() && rows.getInt("last") == 42, 20, 41))
                    .isTrue();
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }

    @Test
    void clientsRunTransactionsForTheDurationAndTheLastStatementDecides() throws Exception {
        JdbcLoad.Result result = JdbcLoad.closed(postgres.jdbcUrl(DATABASE), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD, 2, Duration.ofMillis(500), connection -> {
                    connection.setAutoCommit(false);
                    PreparedStatement statement = SET_AND_READ.prepare(connection);
                    return () -> {
                        boolean same = SET_AND_READ.execute(statement, rows -> rows.next() && rows.getBoolean(1),
                                "tenant-a", "tenant-a", 2);
                        connection.commit();
                        return same;
                    };
                });

        assertThat(result.failures()).isEqualTo("0 failed");
        assertThat(result.transactions()).isPositive();
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(result.perSecond()).isPositive();
    }

    @Test
    void aFailedTransactionBegunInTheStatementsIsRolledBackSoTheNextOneCanRun() throws Exception {
        // every other transaction divides by zero inside its own BEGIN ... COMMIT
        PipelinedStatements statements = PipelinedStatements.of("BEGIN", "SELECT 1 / $1", "COMMIT");
        JdbcLoad.Result result = JdbcLoad.closed(postgres.jdbcUrl(DATABASE), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD, 1, Duration.ofMillis(300), connection -> {
                    PreparedStatement statement = statements.prepare(connection);
                    int[] runs = { 0 };
                    return () -> statements.execute(statement, rows -> true, runs[0]++ % 2);
                });

        assertThat(result.failed()).isPositive();
        assertThat(result.transactions()).isBetween(result.failed() - 1, result.failed() + 1);
    }

    @Test
    void aFailingTransactionIsCountedWithItsErrorAndTheClientGoesOn() throws Exception {
        PipelinedStatements failing = PipelinedStatements.of("SELECT 1 / $1");
        JdbcLoad.Result result = JdbcLoad.closed(postgres.jdbcUrl(DATABASE), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD, 1, Duration.ofMillis(200), connection -> {
                    connection.setAutoCommit(false);
                    PreparedStatement statement = failing.prepare(connection);
                    return () -> failing.execute(statement, rows -> true, 0);
                });

        assertThat(result.transactions()).isZero();
        assertThat(result.failed()).isGreaterThan(1);
        assertThat(result.failures()).contains("division by zero");
    }
}

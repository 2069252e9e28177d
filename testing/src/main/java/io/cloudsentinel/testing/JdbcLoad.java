package io.cloudsentinel.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives PostgreSQL straight over PgJDBC, for a benchmark's physical limit: {@code clients} connections, each on its
 * own thread, running one transaction after the other for the duration (a closed loop, like {@code pgbench -c}).
 * Written so that the limit needs only the JDK and the driver: pgbench comes from Debian's postgresql-client, not
 * with the embedded PostgreSQL. Connections are opened before the clock starts (pgbench's "without initial connection
 * time"). Prints nothing, asserts nothing: {@link NothingMeasured} refuses a run that completed nothing.
 */
public final class JdbcLoad {

    /** One client's work on its own connection: prepares its statements once, then one transaction per call. */
    public interface Client {
        /**
         * @return whether the transaction did its work; false (or an SQLException, after which the client rolls back)
         *         counts it as failed
         */
        boolean transaction() throws SQLException;
    }

    /** Sets up a client on a fresh connection (auto-commit, statements to prepare). */
    public interface Clients {
        Client open(Connection connection) throws SQLException;
    }

    /** A run: transactions that did their work, those that did not, the first error seen. */
    public record Result(long transactions, long failed, Duration elapsed, Optional<String> firstError) {

        public double perSecond() {
            return transactions / (elapsed.toNanos() / 1e9);
        }

        /** What went wrong, for a message: the failures and the first error. */
        public String failures() {
            return failed + " failed" + firstError.map(error -> ", first: " + error).orElse("");
        }
    }

    private JdbcLoad() {
    }

    public static Result closed(String jdbcUrl, String user, String password, int clients, Duration duration,
            Clients setup) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            List<Client> opened = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                connections.add(connection);
                opened.add(setup.open(connection));
            }
            return run(connections, opened, duration);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static Result run(List<Connection> connections, List<Client> clients, Duration duration)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<RuntimeException> crashed = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            Connection connection = connections.get(i);
            Client client = clients.get(i);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    while (System.nanoTime() < end[0]) {
                        if (!once(connection, client, done, failed, firstError)) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    crashed.compareAndSet(null, e);
                }
            }, "jdbc-load-" + i);
            threads.add(thread);
            thread.start();
        }
        long started = System.nanoTime();
        end[0] = started + duration.toNanos();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (crashed.get() != null) {
            throw crashed.get();
        }
        return new Result(done.sum(), failed.sum(), Duration.ofNanos(System.nanoTime() - started),
                Optional.ofNullable(firstError.get()));
    }

    /** @return false when the connection is gone, which ends this client (every further try would fail at once) */
    private static boolean once(Connection connection, Client client, LongAdder done, LongAdder failed,
            AtomicReference<String> firstError) {
        try {
            (client.transaction() ? done : failed).increment();
            return true;
        } catch (SQLException e) {
            failed.increment();
            firstError.compareAndSet(null, e.getMessage());
            try {
                if (connection.getAutoCommit()) {
                    // a BEGIN written into the statements leaves the session in the failed transaction after an
                    // error, where every later statement would fail: PgJDBC ends only the transactions it began
                    try (Statement rollback = connection.createStatement()) {
                        rollback.execute("ROLLBACK");
                    }
                } else {
                    connection.rollback();
                }
                return !connection.isClosed();
            } catch (SQLException rollbackFailed) {
                return false;
            }
        }
    }
}

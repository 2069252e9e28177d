package io.cloudsentinel.jobs;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Tuple;

/**
 * The SQL text and the arguments a store class sends, taken from the class itself: its method runs against a client
 * that records the one prepared query instead of running it. So the physical limit of {@link JobsBenchmark} runs the
 * service's own statements with the arguments its own code builds, and follows them when they change.
 */
record CapturedStatement(String sql, List<Object> values) {

    private static final class Captured extends RuntimeException {
        Captured() {
            super("captured", null, false, false);
        }
    }

    private static final Captured CAPTURED = new Captured();

    /** Runs {@code call} (one store method, on the client it is given) and answers the query it prepared. */
    static CapturedStatement of(Function<SqlClient, Uni<?>> call) {
        String[] sql = new String[1];
        List<Object> values = new ArrayList<>();
        PreparedQuery<?> query = (PreparedQuery<?>) Proxy.newProxyInstance(PreparedQuery.class.getClassLoader(),
                new Class<?>[] { PreparedQuery.class }, (proxy, method, args) -> {
                    if (!method.getName().equals("execute") || args == null || !(args[0] instanceof Tuple tuple)) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    for (int i = 0; i < tuple.size(); i++) {
                        values.add(tuple.getValue(i));
                    }
                    if (args[args.length - 1] instanceof Handler<?> handler) {
                        @SuppressWarnings("unchecked")
                        Handler<AsyncResult<Object>> answer = (Handler<AsyncResult<Object>>) handler;
                        answer.handle(Future.failedFuture(CAPTURED));
                        return null;
                    }
                    return Future.failedFuture(CAPTURED);
                });
        io.vertx.sqlclient.SqlClient client = (io.vertx.sqlclient.SqlClient) Proxy.newProxyInstance(
                io.vertx.sqlclient.SqlClient.class.getClassLoader(),
                new Class<?>[] { io.vertx.sqlclient.SqlClient.class }, (proxy, method, args) -> {
                    if (!method.getName().equals("preparedQuery")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    sql[0] = (String) args[0];
                    return query;
                });
        try {
            call.apply(new SqlClient(client)).await().indefinitely();
            throw new IllegalStateException("the statement ran without a database");
        } catch (Captured expected) {
            return new CapturedStatement(sql[0], values);
        }
    }

    /** The values as PgJDBC binds them: arrays as SQL arrays of their element type. */
    Object[] jdbcValues(Connection connection) throws SQLException {
        Object[] jdbc = new Object[values.size()];
        for (int i = 0; i < jdbc.length; i++) {
            Object value = values.get(i);
            // timestamps as their ISO text, which PostgreSQL reads for timestamptz
            jdbc[i] = value instanceof OffsetDateTime[] times
                    ? connection.createArrayOf("timestamptz",
                            Arrays.stream(times).map(time -> time == null ? null : time.toString()).toArray())
                    : value instanceof Object[] array ? connection.createArrayOf(sqlType(array), array) : value;
        }
        return jdbc;
    }

    /** A value as an SQL literal, for a pgbench script. */
    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return quoted(text);
        }
        if (value instanceof UUID uuid) {
            return quoted(uuid.toString()) + "::uuid";
        }
        if (value instanceof Integer || value instanceof Double) {
            return value.toString();
        }
        if (value instanceof OffsetDateTime) {
            return "now()";
        }
        if (value instanceof Object[] array) {
            return quoted(arrayText(array)) + "::" + sqlType(array) + "[]";
        }
        throw new IllegalArgumentException("no literal for " + value.getClass());
    }

    private static String sqlType(Object[] array) {
        if (array instanceof UUID[]) {
            return "uuid";
        }
        if (array instanceof String[]) {
            return "text";
        }
        if (array instanceof Integer[]) {
            return "int4";
        }
        if (array instanceof Double[]) {
            return "float8";
        }
        if (array instanceof OffsetDateTime[]) {
            return "timestamptz";
        }
        throw new IllegalArgumentException("no SQL type for " + array.getClass());
    }

    private static String arrayText(Object[] elements) {
        StringBuilder text = new StringBuilder("{");
        for (Object element : elements) {
            text.append(text.length() > 1 ? "," : "").append('"').append(element).append('"');
        }
        return text.append('}').toString();
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}

package io.cloudsentinel.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several statements written for the reactive client (numbered parameters: {@code $1}, {@code $2}, … each possibly
 * used more than once) as one PgJDBC prepared statement, so a benchmark runs a service's own SQL text. PgJDBC writes
 * every message of a multi-statement query (and the {@code BEGIN} it adds when auto-commit is off) before a single
 * Sync, so the statements cost one round trip: what the service's pipelining and pgbench's {@code \startpipeline}
 * do. PgJDBC knows only {@code ?}, one per use, so each {@code $n} becomes a {@code ?} bound to the n-th value of its
 * statement. Not for SQL with a {@code $} inside a literal, a quoted name or a dollar-quoted body.
 */
public final class PipelinedStatements {

    /** What the rows of the last statement that returned rows say: whether the work was done. */
    public interface LastRows {
        boolean check(ResultSet rows) throws SQLException;
    }

    private static final Pattern NUMBERED = Pattern.compile("\\$(\\d+)");

    private final String sql;
    /** For each {@code ?} in order, the index of its value in the list of all statements' values. */
    private final int[] values;
    private final int count;

    private PipelinedStatements(String sql, int[] values, int count) {
        this.sql = sql;
        this.values = values;
        this.count = count;
    }

    /**
     * The statements in order. Their values are given in the same order: the first statement's {@code $1..$n}, then
     * the next statement's, and so on.
     */
    public static PipelinedStatements of(String... statements) {
        StringBuilder sql = new StringBuilder();
        List<Integer> values = new ArrayList<>();
        int offset = 0;
        for (String statement : statements) {
            Matcher numbered = NUMBERED.matcher(statement.strip());
            int highest = 0;
            StringBuilder rewritten = new StringBuilder();
            while (numbered.find()) {
                int number = Integer.parseInt(numbered.group(1));
                highest = Math.max(highest, number);
                values.add(offset + number - 1);
                numbered.appendReplacement(rewritten, "?");
            }
            numbered.appendTail(rewritten);
            sql.append(sql.isEmpty() ? "" : ";\n").append(rewritten);
            offset += highest;
        }
        return new PipelinedStatements(sql.toString(), values.stream().mapToInt(Integer::intValue).toArray(), offset);
    }

    /** The JDBC text: the statements joined with {@code ;}, each {@code $n} a {@code ?}. */
    public String sql() {
        return sql;
    }

    public PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /**
     * Binds the values, runs the statements in one round trip and walks their results to the last.
     *
     * @return what {@code lastRows} says of the last result set; false when no statement returned rows
     */
    public boolean execute(PreparedStatement statement, LastRows lastRows, Object... all) throws SQLException {
        if (all.length != count) {
            throw new IllegalArgumentException("the statements take " + count + " values, not " + all.length);
        }
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, all[values[i]]);
        }
        // the results are all read by now; kept open while walking, so the last can be asked once it is known
        List<ResultSet> results = new ArrayList<>();
        try {
            boolean isRows = statement.execute();
            while (isRows || statement.getUpdateCount() != -1) {
                if (isRows) {
                    results.add(statement.getResultSet());
                }
                isRows = statement.getMoreResults(Statement.KEEP_CURRENT_RESULT);
            }
            return !results.isEmpty() && lastRows.check(results.get(results.size() - 1));
        } finally {
            for (ResultSet rows : results) {
                rows.close();
            }
        }
    }
}

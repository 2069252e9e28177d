package io.cloudsentinel.bootstrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the subset of psql that our bootstrap script uses, so that the same file runs with psql (Helm job) and from
 * Java (test resources, local launcher) where no psql binary exists. Hand-written because no library runs psql
 * scripts: supported are {@code :'name'} variables (as quoted literals), statements ending in {@code ;} at the end of
 * a line, statements ending in {@code \gexec} (each value of the result is run as a statement) and {@code --}
 * comments. Dollar quoting is not supported; the script does not need it.
 */
final class PsqlScript {

    private static final Pattern VARIABLE = Pattern.compile(":'([A-Za-z_][A-Za-z0-9_]*)'");

    record Command(String sql, boolean gexec) {
    }

    private final List<Command> commands;

    private PsqlScript(List<Command> commands) {
        this.commands = commands;
    }

    static PsqlScript parse(String script, Map<String, String> variables) {
        List<Command> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            if (trimmed.endsWith("\\gexec")) {
                current.append(line, 0, line.lastIndexOf("\\gexec"));
                commands.add(new Command(substitute(current.toString().strip(), variables), true));
                current.setLength(0);
            } else if (trimmed.endsWith(";")) {
                current.append(line, 0, line.lastIndexOf(';'));
                commands.add(new Command(substitute(current.toString().strip(), variables), false));
                current.setLength(0);
            } else {
                current.append(line);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("script ends inside a statement: " + current);
        }
        return new PsqlScript(List.copyOf(commands));
    }

    List<Command> commands() {
        return commands;
    }

    void run(Connection connection) throws SQLException {
        connection.setAutoCommit(true); // CREATE DATABASE cannot run inside a transaction block
        try (Statement statement = connection.createStatement()) {
            for (Command command : commands) {
                if (!command.gexec()) {
                    statement.execute(command.sql());
                    continue;
                }
                List<String> generated = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(command.sql())) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int column = 1; column <= columns; column++) {
                            String sql = rows.getString(column);
                            if (sql != null) {
                                generated.add(sql);
                            }
                        }
                    }
                }
                for (String sql : generated) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static String substitute(String sql, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("bootstrap variable '" + name + "' is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(quoteLiteral(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** What psql does for :'name': a standard-conforming string literal. */
    static String quoteLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a bootstrap value cannot contain NUL");
        }
        return "'" + value.replace("'", "''") + "'";
    }
}

package io.cloudsentinel.testing;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log line of the service while open, as {@code LEVEL logger message}: what a test asserts was (or was not)
 * logged. Lines below a category's level are never published, so none of them shows up here either.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog() {
    }

    public static CapturedLog start() {
        CapturedLog log = new CapturedLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines of a logger (a class's name) at a level ({@code INFO}, {@code WARN}, …). */
    public List<String> of(Class<?> logger, String level) {
        String prefix = level + " " + logger.getName() + " ";
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && message != null) {
            try {
                message = String.format(message, parameters);
            } catch (RuntimeException ignored) {
                message = message + " " + Arrays.toString(parameters);
            }
        }
        lines.add(record.getLevel() + " " + record.getLoggerName() + " " + message
                + (record.getThrown() == null ? "" : " " + record.getThrown()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}

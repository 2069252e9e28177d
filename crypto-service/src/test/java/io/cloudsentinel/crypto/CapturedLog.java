package io.cloudsentinel.crypto;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log line of the service while open, as {@code LEVEL logger message [thrown]}. */
final class CapturedLog extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog() {
    }

    static CapturedLog start() {
        CapturedLog log = new CapturedLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    List<String> lines() {
        return List.copyOf(lines);
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

package io.cloudsentinel.jobs.costs;

import java.util.List;

/**
 * The file is not a readable FOCUS CSV (a header without required columns, an unbalanced quote, a row with the wrong
 * number of columns, bytes that are not UTF-8, a corrupt gzip stream): the whole import fails and retrying the same
 * file cannot help. Checked and apart from {@link java.io.IOException} so that a caller tells a bad file (fatal) from a
 * broken transfer (transient).
 */
public final class FocusFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long line;
    private final List<String> missingColumns;

    FocusFormatException(long line, String message) {
        this(line, message, List.of(), null);
    }

    FocusFormatException(long line, String message, Throwable cause) {
        this(line, message, List.of(), cause);
    }

    FocusFormatException(long line, String message, List<String> missingColumns, Throwable cause) {
        super("line " + line + ": " + message, cause);
        this.line = line;
        this.missingColumns = List.copyOf(missingColumns);
    }

    /** Physical line (header = 1) where the broken record starts. */
    public long line() {
        return line;
    }

    /** The required columns the header lacks; empty for other failures. */
    public List<String> missingColumns() {
        return missingColumns;
    }
}

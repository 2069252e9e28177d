package io.cloudsentinel.jobs.costs;

/**
 * A row of a FOCUS export that was refused while the rest of the file was read.
 *
 * @param line physical line where the row starts (header = 1; a quoted field with line breaks spans several lines)
 * @param reason every column that failed, with its value cut to {@value FocusRowCheck#MAX_VALUE_IN_REASON} characters
 */
public record RejectedRow(long line, String reason) {
}

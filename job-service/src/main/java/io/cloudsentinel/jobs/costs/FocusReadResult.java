package io.cloudsentinel.jobs.costs;

import java.util.List;

/**
 * What one read of a FOCUS export found. The accepted rows themselves went to the batch consumer; only the first
 * rejected rows are kept (the reader's cap), {@code rejectedCount} counts them all.
 *
 * @param ignoredColumns header columns not read (provider extensions such as {@code x_ServiceCode})
 * @param stoppedAtLine the line of the rejected row past the caller's maximum, where reading stopped; 0 when the
 *        whole file was read
 */
public record FocusReadResult(long acceptedCount, long rejectedCount, List<RejectedRow> rejected,
        List<String> ignoredColumns, long stoppedAtLine) {

    public FocusReadResult {
        rejected = List.copyOf(rejected);
        ignoredColumns = List.copyOf(ignoredColumns);
    }
}

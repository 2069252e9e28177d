package io.cloudsentinel.jobs.costs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * A file's bytes as they are read, counted, and refused past a limit at the first byte beyond it: an upload is
 * size-limited while it streams, whatever its Content-Length said (commons-io's BoundedInputStream would end the file
 * there silently, which a CSV reader takes for a complete file).
 */
public final class CountedBody extends FilterInputStream {

    private final long limit;
    private final LongFunction<RuntimeException> tooLarge;
    private long count;

    /** @param tooLarge what reading past {@code limit} bytes throws, given the limit */
    public CountedBody(InputStream body, long limit, LongFunction<RuntimeException> tooLarge) {
        super(body);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    public static CountedBody unlimited(InputStream body) {
        return new CountedBody(body, Long.MAX_VALUE, limit -> new IllegalStateException("no limit"));
    }

    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int read = super.read();
        if (read >= 0) {
            counted(1);
        }
        return read;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long bytes) {
        count += bytes;
        if (count > limit) {
            throw tooLarge.apply(limit);
        }
    }
}

package io.cloudsentinel.jobs.costs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Streams a FOCUS CSV export (plain or gzip, told apart by the gzip magic bytes; UTF-8 with or without a BOM) one row
 * at a time and hands the accepted rows to a consumer in batches of at most {@code batchSize}: memory holds one batch,
 * never the file. Rows with a bad value are rejected with their line and the read goes on; a file that is not readable
 * CSV, or whose header lacks a required column, fails the whole read with {@link FocusFormatException}.
 * <p>
 * Batches are pushed to a {@link Consumer} rather than pulled through an iterator so that the stream, the gzip inflater
 * and the parser are opened and closed in this one call, whatever the consumer does: no half-read iterator can keep an
 * HTTP download open. Batches already handed over stay handed over when a later line fails, so a loader writes them in
 * the transaction it rolls back on {@link FocusFormatException}.
 */
public final class FocusReader {

    public static final int DEFAULT_BATCH_SIZE = 1_000;
    /** Rejected rows kept for the import's report; beyond it they are only counted. */
    public static final int DEFAULT_MAX_REJECTED_KEPT = 1_000;

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    /** The longest value the parser takes (Jackson's default is 20 million characters): a longer one fails the file. */
    static final int MAX_VALUE_CHARACTERS = 1_000_000;

    private static final ObjectReader ROWS = CsvMapper.builder(CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_VALUE_CHARACTERS).build())
            .build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            // a short row is a broken file (truncated, unescaped separator), as a long one is
            .enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
            .build()
            .readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader());

    private final int batchSize;
    private final int maxRejectedKept;

    public FocusReader() {
        this(DEFAULT_BATCH_SIZE, DEFAULT_MAX_REJECTED_KEPT);
    }

    public FocusReader(int batchSize, int maxRejectedKept) {
        if (batchSize < 1 || maxRejectedKept < 0) {
            throw new IllegalArgumentException("batchSize must be >= 1 and maxRejectedKept >= 0");
        }
        this.batchSize = batchSize;
        this.maxRejectedKept = maxRejectedKept;
    }

    /**
     * Reads the whole export and closes {@code in}. The consumer owns each list it receives.
     *
     * @throws FocusFormatException the file is not a usable FOCUS CSV: fatal, the same bytes fail again
     * @throws IOException reading {@code in} failed (including a gzip stream cut short): the transfer may be retried
     */
    public FocusReadResult read(InputStream in, Consumer<List<FocusRow>> batches)
            throws IOException, FocusFormatException {
        return read(in, batches, Long.MAX_VALUE);
    }

    /**
     * The same for a caller that takes at most {@code maxRejected} rejected rows: past them the file will not be used,
     * so no more rows go to the consumer, and reading goes on only to collect the rejected rows it keeps; once it kept
     * {@code maxRejectedKept} it stops ({@link FocusReadResult#stoppedAtLine()}).
     */
    public FocusReadResult read(InputStream in, Consumer<List<FocusRow>> batches, long maxRejected)
            throws IOException, FocusFormatException {
        try (Reader text = utf8WithoutBom(decompressed(in));
                MappingIterator<Map<String, String>> rows = open(text)) {
            CsvParser parser = (CsvParser) rows.getParser();
            List<String> header = new ArrayList<>();
            parser.getSchema().forEach(column -> header.add(column.getName()));
            checkHeader(header);

            long accepted = 0;
            long rejectedCount = 0;
            List<RejectedRow> rejected = new ArrayList<>();
            List<FocusRow> batch = new ArrayList<>(batchSize);
            while (true) {
                // where the previous record ended is where this one starts: right across quoted line breaks and
                // skipped blank lines, unlike the token location
                long line = parser.currentLocation().getLineNr();
                Map<String, String> values = nextRow(rows, line);
                if (values == null) {
                    break;
                }
                FocusRowCheck.Outcome outcome = FocusRowCheck.check(line, values);
                boolean unused = rejectedCount > maxRejected;
                if (outcome instanceof FocusRowCheck.Accepted a) {
                    accepted++;
                    if (unused) {
                        continue;
                    }
                    batch.add(a.row());
                    if (batch.size() == batchSize) {
                        batches.accept(batch);
                        batch = new ArrayList<>(batchSize);
                    }
                } else if (outcome instanceof FocusRowCheck.Rejected r) {
                    rejectedCount++;
                    if (rejected.size() < maxRejectedKept) {
                        rejected.add(r.row());
                    }
                    if (rejectedCount > maxRejected && rejected.size() >= maxRejectedKept) {
                        return new FocusReadResult(accepted, rejectedCount, rejected, FocusColumns.ignored(header),
                                line);
                    }
                }
            }
            if (!batch.isEmpty() && rejectedCount <= maxRejected) {
                batches.accept(batch);
            }
            return new FocusReadResult(accepted, rejectedCount, rejected, FocusColumns.ignored(header), 0);
        }
    }

    private static MappingIterator<Map<String, String>> open(Reader text) throws IOException, FocusFormatException {
        try {
            // reads the header line
            return ROWS.readValues(text);
        } catch (JsonProcessingException e) {
            throw new FocusFormatException(1, "no readable CSV header: " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            throw notUtf8(1, e);
        } catch (ZipException e) {
            throw corruptGzip(1, e);
        }
    }

    private static void checkHeader(List<String> header) throws FocusFormatException {
        List<String> missing = FocusColumns.missingRequired(header);
        if (!missing.isEmpty()) {
            throw new FocusFormatException(1, "the header lacks the required FOCUS column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (accepted FOCUS versions "
                    + String.join(", ", FocusColumns.ACCEPTED_VERSIONS)
                    + "; names are case-sensitive)", missing, null);
        }
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!seen.add(column) && FocusColumns.isRead(column)) {
                throw new FocusFormatException(1, "the header names column " + column + " twice");
            }
        }
    }

    private static Map<String, String> nextRow(MappingIterator<Map<String, String>> rows, long line)
            throws IOException, FocusFormatException {
        try {
            return rows.hasNextValue() ? rows.nextValue() : null;
        } catch (JsonProcessingException e) {
            long detected = e.getLocation() == null ? line : e.getLocation().getLineNr();
            throw new FocusFormatException(line, "malformed CSV in the record starting here"
                    + (detected > line ? " (detected at line " + detected + ")" : "") + ": " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            throw notUtf8(line, e);
        } catch (ZipException e) {
            throw corruptGzip(line, e);
        }
    }

    private static FocusFormatException notUtf8(long line, CharacterCodingException e) {
        return new FocusFormatException(line, "the file is not UTF-8 text", e);
    }

    private static FocusFormatException corruptGzip(long line, ZipException e) {
        return new FocusFormatException(line, "corrupt gzip data: " + e.getMessage(), e);
    }

    /** Inflates gzip when the stream starts with its magic bytes, so callers need not know what a source serves. */
    static InputStream decompressed(InputStream in) throws IOException, FocusFormatException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        if (first != GZIP_MAGIC_1 || second != GZIP_MAGIC_2) {
            return buffered;
        }
        try {
            return new GZIPInputStream(buffered, BUFFER_BYTES);
        } catch (ZipException e) {
            throw corruptGzip(1, e);
        }
    }

    /** Strict UTF-8 (a bad byte fails the read instead of becoming U+FFFD in a tag) with a leading BOM dropped. */
    static Reader utf8WithoutBom(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, BUFFER_BYTES);
        buffered.mark(3);
        if (!(buffered.read() == 0xEF && buffered.read() == 0xBB && buffered.read() == 0xBF)) {
            buffered.reset();
        }
        return new InputStreamReader(buffered, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }
}

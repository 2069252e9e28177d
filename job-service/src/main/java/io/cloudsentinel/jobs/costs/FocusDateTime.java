package io.cloudsentinel.jobs.costs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;

/**
 * FOCUS datetimes as the exports write them: ISO 8601 with {@code Z} or an offset (AWS), and without a zone, with
 * {@code T} or a space between date and time (Azure's FocusCost, spreadsheets), which FOCUS defines as UTC. Seconds and
 * fractions are optional. Invalid calendar dates (February 30) are refused, not rounded.
 */
final class FocusDateTime {

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffsetId()
            .optionalEnd()
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    private FocusDateTime() {
    }

    /** @throws DateTimeParseException when the text is none of the accepted forms */
    static Instant parse(String text) {
        Instant common = commonForm(text);
        if (common != null) {
            return common;
        }
        String iso = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        TemporalAccessor parsed = FORMAT.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime offset
                ? offset.toInstant()
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    /**
     * The forms nearly every export writes, {@code 2026-11-01T00:00:00Z} and {@code 2026-11-01 00:00:00} (with or
     * without the Z), read digit by digit: four of them per row, the formatter's general parse was over half of an
     * import's time. Null for any other form, which the formatter reads; an impossible date or time throws as there.
     */
    private static Instant commonForm(String text) {
        int length = text.length();
        if ((length != 19 && !(length == 20 && text.charAt(19) == 'Z')) || text.charAt(4) != '-'
                || text.charAt(7) != '-' || (text.charAt(10) != 'T' && text.charAt(10) != ' ')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        // LocalDateTime.of refuses February 30 or hour 24 as the strict formatter does
        return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number of text[from, to), or -1 when one of them is no ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

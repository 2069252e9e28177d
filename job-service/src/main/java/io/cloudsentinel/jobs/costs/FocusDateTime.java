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
        String iso = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        TemporalAccessor parsed = FORMAT.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime offset
                ? offset.toInstant()
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }
}

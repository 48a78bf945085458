package dev.monitoring.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;

/**
 * Lenient timestamp parsing for events typed by hand or sent by other languages: ISO-8601 with 'T'
 * or a space, with or without fractional seconds, with or without an offset (naive means UTC), or
 * epoch seconds as a number.
 */
public final class Timestamps {
    private static final DateTimeFormatter LENIENT_ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .toFormatter();

    /** The range every store and language can hold (PostgreSQL refuses far less than Instant's own range). */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Timestamps() {
    }

    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            TemporalAccessor parsed = LENIENT_ISO.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offset) {
                return Optional.of(offset.toInstant());
            }
            return Optional.of(((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Epoch seconds, fraction kept to the nanosecond.
     *
     * @throws ArithmeticException or {@link java.time.DateTimeException} when out of the range of {@link Instant}
     *         (a plain {@code longValue()} would silently wrap around to a wrong date)
     */
    public static Instant fromEpochSeconds(BigDecimal seconds) {
        BigDecimal[] wholeAndFraction = seconds.divideAndRemainder(BigDecimal.ONE);
        long nanos = wholeAndFraction[1].movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
        return Instant.ofEpochSecond(wholeAndFraction[0].longValueExact(), nanos);
    }
}

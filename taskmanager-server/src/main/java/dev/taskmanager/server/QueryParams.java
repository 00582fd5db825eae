package dev.taskmanager.server;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of a v2 request, stricter than the compat {@link Params}: a parameter the
 * route does not take is refused (a typo such as {@code stat=running} must not silently match every
 * task, least of all in a bulk abort), and a parameter may be repeated only where the route says so
 * ({@code state}, {@code label}). Values are percent-decoded as UTF-8 ({@code +} is a space).
 * Typed values reuse {@link Params}' parsers, so a bad value is refused with the same message,
 * naming the parameter and the value. Immutable once parsed.
 */
final class QueryParams {
    /** The longest a duration may be: what fits in a long of nanoseconds (292 years). */
    static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)?");

    private final Map<String, List<String>> values;

    private QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses a raw (still encoded) query string; {@code null} or empty gives no parameters. */
    static QueryParams parse(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
        }
        return new QueryParams(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed query string near '" + Params.echo(text) + "': "
                    + e.getMessage()).about("query", Params.echo(text));
        }
    }

    /**
     * Refuses any parameter not in {@code allowed}, and a repeated one not in {@code repeatable}.
     *
     * @throws ApiException 400 naming the first parameter refused and what the route takes
     */
    QueryParams check(Set<String> allowed, Set<String> repeatable) {
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            String name = entry.getKey();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown parameter '" + Params.echo(name) + "'"
                        + (allowed.isEmpty() ? "; this route takes no query parameters"
                        : "; this route takes " + String.join(", ", new java.util.TreeSet<>(allowed))))
                        .about(Params.echo(name), Params.echo(entry.getValue().get(0)));
            }
            if (entry.getValue().size() > 1 && !repeatable.contains(name)) {
                throw ApiException.badRequest("parameter '" + name + "' is given more than once ('"
                        + Params.echo(entry.getValue().get(0)) + "', then '" + Params.echo(entry.getValue().get(1))
                        + "')").about(name, Params.echo(entry.getValue().get(1)));
            }
        }
        return this;
    }

    /** Whether any parameter of these names is given. */
    boolean hasAny(Set<String> names) {
        for (String name : names) {
            if (values.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** The value, if given (at most once: see {@link #check}). */
    Optional<String> get(String name) {
        List<String> given = values.get(name);
        return given == null ? Optional.empty() : Optional.of(given.get(0));
    }

    /** Every value given for a repeatable parameter, in order; empty if none. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A boolean: {@code true/false/1/0} in any case. */
    Optional<Boolean> bool(String name) {
        return get(name).map(v -> Params.parseBoolean(name, v));
    }

    /** A whole number from {@code min} to {@code max}, if given. */
    Optional<Long> wholeNumber(String name, long min, long max) {
        return get(name).map(v -> Params.parseWholeNumber(name, v, min, max));
    }

    /** A task id, if given. */
    Optional<java.util.UUID> uuid(String name) {
        return get(name).map(v -> Params.parseUuid(name, v));
    }

    /** An RFC 3339 time with an offset, if given. */
    Optional<Instant> time(String name) {
        return get(name).map(v -> parseTime(name, v));
    }

    /** A non-empty string, if given. */
    Optional<String> nonEmpty(String name) {
        Optional<String> value = get(name);
        if (value.isPresent() && value.get().isEmpty()) {
            throw Params.invalid(name, "", "must not be empty; leave the parameter out to match any");
        }
        return value;
    }

    /**
     * Parses an RFC 3339 date-time with an offset ({@code 2026-01-02T03:04:05Z},
     * {@code 2026-01-02T05:04:05.5+02:00}).
     */
    static Instant parseTime(String name, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            String hint = value.indexOf(' ') >= 0 ? " (a '+' in a query string must be sent as %2B)" : "";
            throw Params.invalid(name, value, "expected an RFC 3339 time with an offset, such as "
                    + "2026-01-02T03:04:05Z or 2026-01-02T05:04:05.5+02:00" + hint);
        }
    }

    /**
     * Parses a duration: a decimal number with a unit, {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 500ms}, {@code 1.5s}, {@code 2m}), or a bare number of seconds; at most
     * {@link #MAX_DURATION}, exact to the nanosecond.
     */
    static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value);
        String expected = "expected a duration such as 30s, 1.5s, 500ms, 2m or 1h (a bare number is seconds)";
        if (!m.matches()) {
            throw Params.invalid(name, value, expected);
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long nanosPerUnit;
        switch (unit) {
            case "ms":
                nanosPerUnit = 1_000_000L;
                break;
            case "m":
                nanosPerUnit = 60_000_000_000L;
                break;
            case "h":
                nanosPerUnit = 3_600_000_000_000L;
                break;
            default:
                nanosPerUnit = 1_000_000_000L;
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw Params.invalid(name, value, "too long; the longest is " + MAX_DURATION.toHours() + "h");
        }
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw Params.invalid(name, value, "finer than a nanosecond; " + expected);
        }
        return Duration.ofNanos(nanos.longValueExact());
    }
}

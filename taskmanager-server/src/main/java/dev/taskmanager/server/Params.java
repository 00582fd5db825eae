package dev.taskmanager.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Query parameters parsed into typed values, with validation that names the parameter and echoes
 * the bad value (SPEC §12.5). Every failure is an {@link ApiException} with status 400: bad input is
 * the client's error, never a 500.
 *
 * <p>Rules: names and values are percent-decoded as UTF-8 ({@code +} is a space); a parameter given
 * twice is refused rather than guessed at; a parameter without {@code =} has the empty value;
 * unknown parameters are ignored, as ScyllaDB does. Immutable once parsed.
 */
final class Params {
    /** The largest number of seconds a TTL or timeout may be: what fits in a long of nanoseconds. */
    static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private static final Params NONE = new Params(Map.of());
    private static final int ECHO_LIMIT = 80;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+([eE][-+]?[0-9]+)?");

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a raw (still encoded) query string; {@code null} or empty gives no parameters. */
    static Params parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return NONE;
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (values.putIfAbsent(name, value) != null) {
                throw ApiException.badRequest("parameter '" + echo(name) + "' is given more than once")
                        .about(echo(name), echo(value));
            }
        }
        return new Params(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed query string near '" + echo(text) + "': " + e.getMessage());
        }
    }

    /** The raw value, if given. */
    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value, or 400 {@code Missing mandatory parameter '<name>'}. */
    String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw ApiException.badRequest("Missing mandatory parameter '" + name + "'").about(name, null);
        }
        return value;
    }

    /** A boolean: {@code true/false/1/0} in any case (SPEC §12.1). */
    Optional<Boolean> bool(String name) {
        String value = values.get(name);
        return value == null ? Optional.empty() : Optional.of(parseBoolean(name, value));
    }

    /** A whole number from {@code min} to {@code max}, if given. */
    OptionalLong wholeNumber(String name, long min, long max) {
        String value = values.get(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(parseWholeNumber(name, value, min, max));
    }

    /** A finite, non-negative decimal number, if given. */
    OptionalDouble decimal(String name) {
        String value = values.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(parseDecimal(name, value));
    }

    /** A task id, if given. */
    Optional<UUID> uuid(String name) {
        String value = values.get(name);
        return value == null ? Optional.empty() : Optional.of(parseUuid(name, value));
    }

    static boolean parseBoolean(String name, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw invalid(name, value, "expected a boolean: true, false, 1 or 0");
        }
    }

    /**
     * Parses a plain decimal integer (digits with an optional leading minus), so that {@code 0x10},
     * {@code 1e3}, {@code +5} and {@code 1.0} are refused instead of guessed at.
     */
    static long parseWholeNumber(String name, String value, long min, long max) {
        String expected = "expected a whole number from " + min + " to " + max;
        boolean negative = value.startsWith("-");
        String digits = negative ? value.substring(1) : value;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(name, value, expected);
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(name, value, (negative ? "too small; " : "too large; ") + expected);
        }
        if (parsed < 0 && min >= 0) {
            throw invalid(name, value, "must not be negative; " + expected);
        }
        if (parsed < min || parsed > max) {
            throw invalid(name, value, "out of range; " + expected);
        }
        return parsed;
    }

    static double parseDecimal(String name, String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw invalid(name, value, "expected a finite, non-negative decimal number such as 2.5");
        }
        double parsed = Double.parseDouble(value);
        if (!Double.isFinite(parsed)) {
            throw invalid(name, value, "too large; expected a finite, non-negative decimal number");
        }
        return parsed;
    }

    /**
     * Parses a task id strictly: 36 characters, hex digits in groups of 8-4-4-4-12 separated by
     * dashes, any case. {@link UUID#fromString} alone is too lenient (it takes {@code 1-1-1-1-1}).
     */
    static UUID parseUuid(String name, String value) {
        String expected = "a task id is a UUID of 36 characters, hex digits in groups of 8-4-4-4-12 "
                + "separated by '-'";
        if (value.length() != 36) {
            throw invalid(name, value, expected + ", got " + value.length() + " characters");
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    throw invalid(name, value, expected + "; expected '-' at position " + (i + 1));
                }
            } else if (Character.digit(c, 16) < 0 || c > 'f') {
                throw invalid(name, value, expected + "; '" + printable(c) + "' at position " + (i + 1)
                        + " is not a hex digit");
            }
        }
        return UUID.fromString(value);
    }

    static ApiException invalid(String name, String value, String reason) {
        return ApiException.badRequest("invalid value '" + echo(value) + "' for parameter '" + name + "': " + reason)
                .about(name, echo(value));
    }

    /** The value as echoed in messages: long values are cut, so an 8 KiB id does not come back whole. */
    static String echo(String value) {
        if (value.length() <= ECHO_LIMIT) {
            return value;
        }
        return value.substring(0, ECHO_LIMIT) + "... (" + value.length() + " characters)";
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}

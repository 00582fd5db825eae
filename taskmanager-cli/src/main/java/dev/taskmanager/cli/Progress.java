package dev.taskmanager.cli;

import java.util.Locale;

/**
 * A task's progress in a few characters, for people: {@code 2.5/10 ranges 25%} with the server's
 * numbers; in bytes, both values in the unit of the larger ({@code 81.1/256.0 MiB 31%});
 * {@code 7 units} without a total; nothing when a task reports no progress. Also its rate
 * ({@code 12.3 MiB/s}, {@code 4.5 ranges/s}), time left ({@code ETA 1m05s}) and a bar
 * ({@code [#####-----]}). Values that are missing or not numbers show as no progress. Stateless.
 */
final class Progress {

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Progress() {
    }

    /** {@code completed/total unit percent%}, as described above. */
    static String text(String units, Json completed, Json total) {
        double all = number(total);
        double done = number(completed);
        if (!(all > 0) && !(done > 0)) {
            return "";
        }
        String doneText;
        String allText;
        String unit = units;
        if (units.equals("bytes")) {
            int u = byteUnit(Math.max(all > 0 ? all : 0, done));
            unit = BYTE_UNITS[u];
            doneText = inUnit(done, u);
            allText = inUnit(all, u);
        } else {
            doneText = Cells.text(completed);
            allText = Cells.text(total);
        }
        String suffix = unit.isEmpty() ? "" : " " + unit;
        if (!(all > 0)) {
            return doneText + suffix;
        }
        return doneText + "/" + allText + suffix + " " + percent(done, all) + "%";
    }

    /**
     * Progress per second: {@code 12.3 MiB/s} in bytes, else the server's number and unit
     * ({@code 4.5 ranges/s}); empty when the rate is unknown ({@code null}).
     */
    static String rate(String units, Json rate) {
        double perSecond = number(rate);
        if (!(perSecond >= 0)) {
            return "";
        }
        if (units.equals("bytes")) {
            int u = byteUnit(perSecond);
            return inUnit(perSecond, u) + " " + BYTE_UNITS[u] + "/s";
        }
        String value = perSecond == Math.rint(perSecond) && perSecond < 1e15
                ? Long.toString((long) perSecond) : String.format(Locale.ROOT, "%.1f", perSecond);
        return value + (units.isEmpty() ? "/s" : " " + units + "/s");
    }

    /** {@code ETA 45s}, {@code ETA 3m07s}, {@code ETA 2h05m}; empty when unknown. */
    static String eta(Json seconds) {
        double left = number(seconds);
        if (!(left >= 0) || left > 1e9) {
            return "";
        }
        long s = (long) Math.ceil(left);
        if (s < 60) {
            return "ETA " + s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "ETA %dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "ETA %dh%02dm", s / 3600, s / 60 % 60);
    }

    /** {@code [###-------]} with {@code width} cells inside the brackets; empty cells without a total. */
    static String bar(Json completed, Json total, int width) {
        double all = number(total);
        double done = number(completed);
        int filled = all > 0 && done > 0 ? (int) Math.min(width, Math.floor(width * done / all)) : 0;
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /** The whole percent done, 0 to 100, floored (99.9% is not done). */
    static long percent(double completed, double total) {
        return (long) Math.floor(Math.min(100, Math.max(0, 100 * completed / total)));
    }

    /** A JSON number's value; NaN for anything else (so every comparison is false). */
    static double number(Json value) {
        if (value instanceof Json.Num n) {
            try {
                return Double.parseDouble(n.text());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static int byteUnit(double largest) {
        double scale = 1;
        int u = 0;
        while (u < BYTE_UNITS.length - 1 && largest >= scale * 1024) {
            scale *= 1024;
            u++;
        }
        return u;
    }

    private static String inUnit(double bytes, int unit) {
        if (unit == 0) {
            return Long.toString((long) bytes);
        }
        return String.format(Locale.ROOT, "%.1f", bytes / Math.pow(1024, unit));
    }
}

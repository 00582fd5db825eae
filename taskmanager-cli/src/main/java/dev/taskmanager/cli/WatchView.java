package dev.taskmanager.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code tasks watch} shows of a {@link TaskTree}, as text; pure functions, so tests check
 * them without a terminal.
 *
 * <ul>
 *   <li>{@link #frame}: the block redrawn in place on a terminal. The task's type, entity and
 *       state; its bar with percent, progress, rate and ETA; how many tasks below it run and
 *       ended; then one line per running descendant (scope and entity in columns, bar,
 *       progress, rate, ETA),
 *       as many as fit, and how many more there are. No line is longer than the width, so none
 *       wraps (a wrapped line would throw the cursor arithmetic off);</li>
 *   <li>{@link #line}: one line for a log: state, progress, rate, ETA, the counts below; and
 *       once the task ended, its outcome and how long it ran.</li>
 * </ul>
 * Everything from the server is escaped ({@link TerminalText}); numbers print as
 * {@link Progress} does. Stateless.
 */
final class WatchView {

    private static final int WIDE_BAR = 30;
    private static final int SMALL_BAR = 10;

    private WatchView() {
    }

    /** The live block: at most {@code height} lines (at least 3) of at most {@code width} columns. */
    static List<String> frame(TaskTree tree, int width, int height) {
        Json.Obj task = tree.task();
        List<String> lines = new ArrayList<>();
        lines.add(join(text(task, "type"), text(task, "entity")) + "  " + status(task));
        Json.Obj progress = progress(task);
        int bar = Math.max(SMALL_BAR, Math.min(WIDE_BAR, width - 50));
        String amounts = progressText(progress);
        String after = tree.ended() ? (took(task).isEmpty() ? "" : "in " + took(task))
                : speed(task, progress);
        lines.add("  " + Progress.bar(progress.get("completed"), progress.get("total"), bar) + " "
                + (amounts.isEmpty() && !tree.ended() ? "no progress reported yet"
                        : join(amounts, after)));
        if (tree.hasDescendants()) {
            lines.add("  below: " + counts(tree));
        }
        List<Json.Obj> running = tree.running();
        long more = tree.runningCount();
        int room = Math.max(0, Math.max(3, height) - lines.size());
        int shown = more <= room ? running.size() : Math.max(0, Math.min(running.size(), room - 1));
        int scopeWidth = 0;
        int entityWidth = 0;
        for (int i = 0; i < shown; i++) {
            scopeWidth = Math.max(scopeWidth, width(text(running.get(i), "scope")));
            entityWidth = Math.max(entityWidth, width(text(running.get(i), "entity")));
        }
        entityWidth = Math.min(entityWidth, Math.max(12, width - 60 - scopeWidth));
        for (int i = 0; i < shown; i++) {
            Json.Obj child = running.get(i);
            Json.Obj childProgress = progress(child);
            lines.add("    " + pad(text(child, "scope"), scopeWidth) + " "
                    + pad(cut(text(child, "entity"), entityWidth), entityWidth) + " "
                    + Progress.bar(childProgress.get("completed"), childProgress.get("total"),
                            SMALL_BAR)
                    + " " + join(progressText(childProgress), speed(child, childProgress)));
        }
        if (shown < more) {
            lines.add("    ... and " + (more - shown) + " more running");
        }
        List<String> fitted = new ArrayList<>();
        for (String line : lines.subList(0, Math.min(lines.size(), Math.max(3, height)))) {
            fitted.add(cut(line.stripTrailing(), width));
        }
        return fitted;
    }

    /** The line for a log: {@code running 81.1/256.0 MiB 31% 12.3 MiB/s ETA 14s; below: ...}. */
    static String line(TaskTree tree) {
        Json.Obj task = tree.task();
        Json.Obj progress = progress(task);
        String amounts = progressText(progress);
        String line = join(status(task), amounts);
        if (tree.ended()) {
            String took = took(task);
            return took.isEmpty() ? line : line + " in " + took;
        }
        line = join(line, speed(task, progress));
        return tree.hasDescendants() ? line + "; below: " + counts(tree) : line;
    }

    /**
     * What makes a new log line worth printing: the state, the progress and the counts below,
     * not the rate and ETA, which move on every look.
     */
    static String change(TaskTree tree) {
        return status(tree.task()) + "|" + progressText(progress(tree.task())) + "|"
                + tree.runningCount() + "|" + tree.finished() + "|" + tree.failed();
    }

    /**
     * The state for people: {@code running}, {@code running, abort requested}, {@code done},
     * {@code failed: <error>}, {@code aborted: <reason> (by <requester>)}.
     */
    static String status(Json.Obj task) {
        String state = TaskTree.state(task);
        switch (state) {
            case "failed": {
                String error = text(task, "error");
                return error.isEmpty() ? state : "failed: " + error;
            }
            case "aborted": {
                String reason = "";
                String by = "";
                if (task.get("abort") instanceof Json.Obj abort) {
                    reason = text(abort, "reason");
                    by = text(abort, "requested_by");
                }
                String why = reason.isEmpty() ? text(task, "error") : reason;
                return "aborted" + (why.isEmpty() ? "" : ": " + why)
                        + (by.isEmpty() ? "" : " (by " + by + ")");
            }
            default:
                return task.get("abort_requested") instanceof Json.Bool b && b.value()
                        && state.equals("running") ? "running, abort requested" : state;
        }
    }

    private static String counts(TaskTree tree) {
        return tree.runningCount() + " running, " + tree.finished() + " finished"
                + (tree.failed() > 0 ? " (" + tree.failed() + " failed)" : "");
    }

    /** How long the task ran, from the server's start and end times: {@code 21.0s}; or empty. */
    private static String took(Json.Obj task) {
        try {
            Instant start = Instant.parse(Cells.orEmpty(task.get("start_time")));
            Instant end = Instant.parse(Cells.orEmpty(task.get("end_time")));
            long millis = Duration.between(start, end).toMillis();
            return millis < 0 ? "" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static String progressText(Json.Obj progress) {
        return Progress.text(Cells.orEmpty(progress.get("units")), progress.get("completed"),
                progress.get("total"));
    }

    private static String speed(Json.Obj task, Json.Obj progress) {
        if (task.get("stalled") instanceof Json.Bool stalled && stalled.value()) {
            return "stalled";
        }
        return join(Progress.rate(Cells.orEmpty(progress.get("units")), progress.get("rate")),
                Progress.eta(progress.get("eta_seconds")));
    }

    private static Json.Obj progress(Json.Obj task) {
        return task.get("progress") instanceof Json.Obj p ? p : new Json.Obj(List.of());
    }

    /** A member as text for a terminal: escaped, {@code null} empty. */
    private static String text(Json.Obj object, String name) {
        return TerminalText.escape(Cells.orEmpty(object.get(name)));
    }

    /** The non-empty parts, two spaces apart. */
    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "  ").append(part);
            }
        }
        return sb.toString();
    }

    private static String pad(String text, int width) {
        int length = width(text);
        return length >= width ? text : text + " ".repeat(width - length);
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }

    /** At most {@code width} code points, {@code ...} marking a cut. */
    static String cut(String text, int width) {
        int length = text.codePointCount(0, text.length());
        if (length <= width) {
            return text;
        }
        if (width <= 3) {
            return text.substring(0, text.offsetByCodePoints(0, Math.max(0, width)));
        }
        return text.substring(0, text.offsetByCodePoints(0, width - 3)) + "...";
    }
}

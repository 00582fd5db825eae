package dev.taskmanager.app;

import dev.taskmanager.TaskProgress;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Shows one running operation while the demo waits for it, in one of two ways:
 * <ul>
 *   <li><b>live</b> (a terminal): a block of lines redrawn in place a few times a second with ANSI
 *       cursor movement: the root's progress bar with bytes, percentage, rate and elapsed time, the
 *       count of finished tasks below it, and the running tasks with their own progress, as many as
 *       fit the terminal's height. Lines are cut to the terminal's width so that none wraps (a wrapped
 *       line would throw the cursor arithmetic off);</li>
 *   <li><b>plain</b> (piped, or a dumb terminal): one progress line at most once per second, and a
 *       last one when the operation ends.</li>
 * </ul>
 * The rendering ({@link #frame}, {@link #line}) is pure, so tests check it without a terminal. Used
 * by one thread.
 */
final class ProgressView {
    static final Duration LIVE_INTERVAL = Duration.ofMillis(250);
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(1);

    private static final String CURSOR_UP = "\033[%dA";
    private static final String CLEAR_LINE = "\033[2K";
    private static final String CLEAR_BELOW = "\033[J";
    private static final String HIDE_CURSOR = "\033[?25l";
    private static final String SHOW_CURSOR = "\033[?25h";
    private static final int BAR = 30;

    /** What is shown at one moment: the root, the tasks running below it, counts and elapsed time. */
    record Snapshot(TaskStatus root, List<TaskStatus> running, int finished, int failed, Duration elapsed) {
    }

    private final PrintStream out;
    private final boolean live;
    private int linesOnScreen;
    private int frames;
    private int[] size = {24, 80};
    private Thread restoreCursor;

    ProgressView(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** How often {@link #show} wants to be called. */
    Duration interval() {
        return live ? LIVE_INTERVAL : PLAIN_INTERVAL;
    }

    /** Shows the operation as it is now; the last call, with the root complete, stays on screen. */
    void show(Snapshot snapshot) {
        if (!live) {
            out.println(line(snapshot));
            out.flush();
            return;
        }
        if (frames++ % 4 == 0) {
            size = terminalSize();
        }
        if (restoreCursor == null) {
            // Ctrl-C while the cursor is hidden would leave the user's terminal without one.
            restoreCursor = new Thread(() -> {
                out.print(SHOW_CURSOR);
                out.flush();
            }, "taskmanager-demo-cursor");
            Runtime.getRuntime().addShutdownHook(restoreCursor);
            out.print(HIDE_CURSOR);
        }
        List<String> lines = frame(snapshot, size[1] - 1, Math.max(4, size[0] - 2));
        StringBuilder sb = new StringBuilder();
        if (linesOnScreen > 0) {
            sb.append(String.format(CURSOR_UP, linesOnScreen)).append('\r');
        }
        for (String line : lines) {
            sb.append(CLEAR_LINE).append(line).append('\n');
        }
        sb.append(CLEAR_BELOW);
        linesOnScreen = lines.size();
        out.print(sb);
        out.flush();
    }

    /** Ends the live display: the last frame stays, the cursor comes back. */
    void close() {
        if (restoreCursor != null) {
            out.print(SHOW_CURSOR);
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreCursor);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            restoreCursor = null;
        }
        linesOnScreen = 0;
    }

    /**
     * The live block: header, bar, counts, then the running tasks (file leaves first, as they are
     * where the reading happens), at most {@code height} lines of at most {@code width} characters.
     */
    static List<String> frame(Snapshot s, int width, int height) {
        TaskStatus root = s.root();
        List<String> lines = new ArrayList<>();
        lines.add(root.type() + " " + root.entity() + "  " + root.state().wireName() + "  " + seconds(s.elapsed()));
        TaskProgress p = root.progress();
        if (p.total() <= 0 && !root.state().isTerminal()) {
            lines.add("  scanning the tree...");
        } else {
            lines.add("  " + bar(p, BAR) + " " + percent(p) + "  " + bytes(p) + "  " + rate(p.completed(), s.elapsed()));
        }
        lines.add("  tasks below the root: " + s.finished() + " finished (" + s.failed() + " failed), "
                + s.running().size() + " running");
        List<TaskStatus> running = new ArrayList<>(s.running());
        running.sort((a, b) -> Boolean.compare(a.scope().equals("directory"), b.scope().equals("directory")));
        int room = height - lines.size();
        int shown = running.size() <= room ? running.size() : Math.max(0, room - 1);
        int entityWidth = 12;
        for (int i = 0; i < shown; i++) {
            entityWidth = Math.max(entityWidth, running.get(i).entity().length());
        }
        entityWidth = Math.min(entityWidth, Math.max(12, width - 56));
        for (int i = 0; i < shown; i++) {
            TaskStatus t = running.get(i);
            TaskProgress tp = t.progress();
            lines.add(String.format("    %-9s %-" + entityWidth + "s %s %s  %s", t.scope(),
                    cut(t.entity(), entityWidth), bar(tp, 10), percent(tp), bytes(tp)));
        }
        if (shown < running.size()) {
            lines.add("    ... and " + (running.size() - shown) + " more running");
        }
        List<String> fitted = new ArrayList<>();
        for (String line : lines.subList(0, Math.min(lines.size(), Math.max(1, height)))) {
            fitted.add(cut(line, width));
        }
        return fitted;
    }

    /**
     * A finished tree as a compact table: one row per task of {@code statuses} (breadth-first, as
     * {@code statusRecursive} returns them), entities indented by depth (the root's is the directory, its
     * descendants' are relative to it), ids shortened to their first
     * eight digits (the root's full id is printed elsewhere, and folded children cannot be looked up by
     * id anyway), progress in bytes, and the error of failed tasks. Columns are padded as in
     * {@code tasks tree}, but only these few, so that it fits a terminal.
     */
    static List<String> tree(List<TaskStatus> statuses) {
        Map<UUID, Integer> depth = new HashMap<>();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "scope", "state", "completed / total", "entity", "error"});
        for (TaskStatus t : statuses) {
            int d = t.parentId() == null ? 0 : depth.getOrDefault(t.parentId(), 0) + 1;
            depth.put(t.id(), d);
            String entity = "  ".repeat(Math.max(0, d - 1)) + t.entity();
            rows.add(new String[] {t.id().toString().substring(0, 8), t.scope(), t.state().wireName(),
                    bytes(t.progress()), entity, t.error()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                sb.append(' ').append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s", row[i]));
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    /** The plain progress line. */
    static String line(Snapshot s) {
        TaskStatus root = s.root();
        TaskProgress p = root.progress();
        String what = root.state().isTerminal() ? root.state().wireName()
                : s.running().size() + " tasks running, " + s.finished() + " finished";
        if (p.total() <= 0 && !root.state().isTerminal()) {
            return String.format("  %6s  scanning the tree...", seconds(s.elapsed()));
        }
        return String.format("  %6s  %s  %s  %s  %s", seconds(s.elapsed()), percent(p), bytes(p),
                rate(p.completed(), s.elapsed()), what);
    }

    static String bar(TaskProgress p, int width) {
        int filled = p.total() <= 0 ? 0 : (int) Math.min(width, Math.floor(width * p.completed() / p.total()));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    static String percent(TaskProgress p) {
        long percent = p.total() <= 0 ? 0 : Math.min(100, (long) Math.floor(100 * p.completed() / p.total()));
        return String.format("%3d%%", percent);
    }

    /** {@code 81.2 / 262.9 MiB}: both in the unit of the total. */
    static String bytes(TaskProgress p) {
        double total = Math.max(p.total(), p.completed());
        Unit unit = Unit.of(total);
        return unit.format(p.completed()) + " / " + unit.format(total) + " " + unit.name;
    }

    /** A byte count with its unit, e.g. {@code 262.9 MiB}. */
    static String bytes(double n) {
        Unit unit = Unit.of(n);
        return unit.format(n) + " " + unit.name;
    }

    static String rate(double bytes, Duration elapsed) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? "" : bytes(bytes / seconds) + "/s";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    static boolean isRunning(TaskStatus status) {
        return status.state() == TaskState.RUNNING;
    }

    private static String cut(String text, int width) {
        if (width <= 0) {
            return "";
        }
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 3)) + "...";
    }

    private enum Unit {
        B("B", 1), KIB("KiB", 1L << 10), MIB("MiB", 1L << 20), GIB("GiB", 1L << 30);

        final String name;
        final long size;

        Unit(String name, long size) {
            this.name = name;
            this.size = size;
        }

        static Unit of(double n) {
            return n >= GIB.size ? GIB : n >= MIB.size ? MIB : n >= KIB.size ? KIB : B;
        }

        String format(double n) {
            return this == B ? String.valueOf((long) n) : String.format(Locale.ROOT, "%.1f", n / size);
        }
    }

    /**
     * Rows and columns of the terminal: {@code stty size} on {@code /dev/tty}, else {@code LINES} and
     * {@code COLUMNS}, else 24 x 80. (Java 17 has no API for it.)
     */
    static int[] terminalSize() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(1, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] parts = answer.split("\\s+");
                int rows = Integer.parseInt(parts[0]);
                int columns = Integer.parseInt(parts[1]);
                if (rows > 0 && columns > 0) {
                    return new int[] {rows, columns};
                }
            }
        } catch (IOException | RuntimeException e) {
            // no stty, no tty: fall back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new int[] {envInt("LINES", 24), envInt("COLUMNS", 80)};
    }

    private static int envInt(String name, int fallback) {
        try {
            int value = Integer.parseInt(System.getenv().getOrDefault(name, ""));
            return value > 0 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

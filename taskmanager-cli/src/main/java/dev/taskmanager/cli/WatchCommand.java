package dev.taskmanager.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code tasks watch ID}: looks at {@code GET /v2/tasks/{id}?view=tree} every interval (through the
 * session's {@link Sleeper}) and shows the task's progress, rate and ETA and its running
 * descendants until it ends, then exits with the codes of {@code wait --quiet}: 0 done, 123
 * failed or aborted (the compat API calls an aborted task failed, and {@code wait --quiet} gives
 * 123 for it: a script moving from one to the other sees the same codes); 124 when
 * {@code --timeout} passes first; 125 for every other failure, with its message on stderr (an
 * unknown id, a task unregistered before its end was seen, a failed request).
 *
 * <p>Three ways to show it:
 * <ul>
 *   <li>on a terminal ({@link Terminal#live()}): the {@link WatchView#frame} redrawn in place after
 *       every look, with ANSI cursor movement, sized to the terminal (asked again every
 *       {@value #SIZE_EVERY} frames, to follow resizes); the cursor is hidden meanwhile and given
 *       back at the end, or by a shutdown hook on Ctrl-C;</li>
 *   <li>otherwise (a pipe, a file): a {@link WatchView#line}, prefixed with the seconds since the
 *       watch began, for the first look, for every new state and for the last; in between, when
 *       the progress or the counts below changed, at most one every {@link #LINE_EVERY};</li>
 *   <li>with {@code --output json}: the same lines as JSON, {@code {"task": ..., "running":
 *       [...]}} with the server's objects as sent (JSON Lines).</li>
 * </ul>
 *
 * <p>It polls rather than follows the event stream (not part of the server yet). A task can end and
 * be unregistered between two looks (a task that is no user task goes at once under the default
 * TTL of 0, a child when its parent folds it), so once the task is seen running an
 * {@link EndWatch} waits for its end on a connection of its own: when a look finds the task gone,
 * its answer is the end. One instance per invocation; blocks its thread until the task ends.
 */
final class WatchCommand {

    /** Between two looks, without {@code --interval}. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** A log line when only the progress moved: at most this often. */
    static final Duration LINE_EVERY = Duration.ofSeconds(5);
    /** How long a look that finds the task gone waits for the end the {@link EndWatch} heard. */
    static final Duration END_BOUND = Duration.ofSeconds(10);
    /** Frames between two questions about the terminal's size. */
    static final int SIZE_EVERY = 5;

    static final int EXIT_FAILED = Commands.WAIT_TASK_FAILED;
    static final int EXIT_TIMED_OUT = Commands.WAIT_TIMED_OUT;
    static final int EXIT_ERROR = Commands.WAIT_ERROR;

    private static final String CURSOR_UP = "\033[%dA";
    private static final String CLEAR_LINE = "\033[2K";
    private static final String CLEAR_BELOW = "\033[J";
    private static final String HIDE_CURSOR = "\033[?25l";
    private static final String SHOW_CURSOR = "\033[?25h";

    private final RestClient client;
    private final Session session;
    private final boolean json;
    private final boolean live;
    private final long started;

    private int linesOnScreen;
    private int frames;
    private int[] size;
    private Thread restoreCursor;
    private boolean seen;
    private String printedStatus;
    private String printedChange;
    private long printedAt;

    WatchCommand(RestClient client, Session session, OutputFormat format) {
        this.client = client;
        this.session = session;
        this.json = format == OutputFormat.JSON;
        this.live = !json && session.terminal().live();
        this.started = session.nanoTime().getAsLong();
    }

    /**
     * Watches task {@code id} until it ends, or {@code timeout} passes ({@code null}: never), and
     * returns the exit code.
     */
    int run(String id, Duration interval, Duration timeout) {
        String path = RestClient.v2Task(id, "");
        EndWatch end = null;
        try {
            TaskTree tree = look(path);
            while (true) {
                show(tree);
                if (tree.ended()) {
                    return tree.state().equals("done") ? 0 : EXIT_FAILED;
                }
                if (end == null) {
                    end = EndWatch.start(client.forAnotherThread(), id);
                }
                Duration elapsed = elapsed();
                if (timeout != null && elapsed.compareTo(timeout) >= 0) {
                    finish();
                    session.err().print("watch: gave up after " + timeout.toSeconds()
                            + " s; the task is still " + tree.state() + "\n");
                    return EXIT_TIMED_OUT;
                }
                session.sleeper().sleep(timeout == null ? interval
                        : min(interval, timeout.minus(elapsed)));
                try {
                    tree = look(path);
                } catch (RequestFailedException e) {
                    Json.Obj last = e.status() == 404 ? end.await(END_BOUND) : null;
                    if (last == null) {
                        throw e.status() == 404 ? new CliException(CliException.REQUEST_FAILED,
                                e.getMessage() + "\nthe task was unregistered before its end was "
                                        + "seen") : e;
                    }
                    tree = TaskTree.alone(last);
                }
            }
        } catch (CliException e) {
            finish();
            session.err().print(e.getMessage() + "\n");
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish();
            session.err().print("error: interrupted\n");
            return EXIT_ERROR;
        } finally {
            finish();
            if (end != null) {
                end.close();
            }
        }
    }

    private TaskTree look(String path) {
        return client.get(path, Map.of("view", "tree"), TaskTree::read);
    }

    private void show(TaskTree tree) {
        if (live) {
            redraw(tree);
        } else {
            log(tree);
        }
        seen = true;
    }

    /**
     * A line for the first look, the last, a new state; otherwise, when anything shown changed,
     * at most every {@link #LINE_EVERY}.
     */
    private void log(TaskTree tree) {
        String status = WatchView.status(tree.task());
        String change = WatchView.change(tree);
        long now = session.nanoTime().getAsLong();
        boolean due = !seen || tree.ended() || !status.equals(printedStatus)
                || (!change.equals(printedChange) && now - printedAt >= LINE_EVERY.toNanos());
        if (!due) {
            return;
        }
        printedStatus = status;
        printedChange = change;
        printedAt = now;
        if (json) {
            print(tree.document().toJsonText() + "\n");
        } else {
            long tenths = (now - started) / 100_000_000L;
            print(String.format("%5d.%ds %s", tenths / 10, tenths % 10, WatchView.line(tree)) + "\n");
        }
    }

    private void redraw(TaskTree tree) {
        PrintStream out = session.out();
        if (size == null || frames % SIZE_EVERY == 0) {
            size = new int[] {session.terminal().rows(), session.terminal().columns()};
        }
        frames++;
        if (restoreCursor == null) {
            // Ctrl-C while the cursor is hidden would leave the terminal without one.
            restoreCursor = new Thread(() -> {
                out.print(SHOW_CURSOR);
                out.flush();
            }, "taskmanager-watch-cursor");
            Runtime.getRuntime().addShutdownHook(restoreCursor);
            out.print(HIDE_CURSOR);
        }
        List<String> lines = WatchView.frame(tree, size[1] - 1, size[0] - 1);
        StringBuilder sb = new StringBuilder();
        if (linesOnScreen > 0) {
            sb.append(String.format(CURSOR_UP, linesOnScreen)).append('\r');
        }
        for (String line : lines) {
            sb.append(CLEAR_LINE).append(line).append('\n');
        }
        sb.append(CLEAR_BELOW);
        linesOnScreen = lines.size();
        print(sb.toString());
    }

    /** The last frame stays on screen; the cursor comes back. */
    private void finish() {
        if (restoreCursor != null) {
            print(SHOW_CURSOR);
            try {
                Runtime.getRuntime().removeShutdownHook(restoreCursor);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            restoreCursor = null;
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(session.nanoTime().getAsLong() - started);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void print(String text) {
        session.out().print(text);
        session.out().flush();
    }
}

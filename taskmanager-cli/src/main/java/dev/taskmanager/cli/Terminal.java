package dev.taskmanager.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where the CLI's output goes, for the one command that draws on a screen ({@code tasks watch}):
 * a terminal it may redraw in place with ANSI cursor movement ({@link #live()}), of a given size,
 * or anything else (a pipe, a file, a test's buffer), which gets plain lines.
 *
 * <p>{@link #of} tells them apart the way {@code ls} and {@code git} do: stdout is a terminal
 * ({@link System#console()}; on JDK 22 and later, {@code Console.isTerminal()} too, since a
 * console there exists for redirected streams as well) and {@code TERM} is set and not
 * {@code dumb}. The size is {@code COLUMNS} and {@code LINES} when set, else what
 * {@code stty size} answers on {@code /dev/tty}, else 80 x 24: Java has no API for it. Asked on
 * each call of {@link #columns()} and {@link #rows()}, so a caller that wants to follow resizes
 * asks now and then, not on every frame (the query starts a process).
 *
 * <p>Immutable and thread-safe; the detection runs once, when first asked.
 */
public final class Terminal {

    private static final int DEFAULT_COLUMNS = 80;
    private static final int DEFAULT_ROWS = 24;

    private final PrintStream out;
    /** The environment to read, {@code null} for the process's (no lambda: start-up). */
    private final Function<String, String> env;
    private final int fixedColumns;
    private final int fixedRows;
    private volatile Boolean live;

    private Terminal(PrintStream out, Function<String, String> env, Boolean live, int columns,
            int rows) {
        this.out = out;
        this.env = env;
        this.live = live;
        this.fixedColumns = columns;
        this.fixedRows = rows;
    }

    /** {@code out} as it is attached to this process: a terminal, or not (see above). */
    public static Terminal of(PrintStream out) {
        return new Terminal(out, null, null, 0, 0); // the process environment, when asked
    }

    /** Not a terminal: plain lines, never a control sequence. */
    public static Terminal pipe() {
        return new Terminal(null, name -> null, false, DEFAULT_COLUMNS, DEFAULT_ROWS);
    }

    /**
     * A terminal of {@code columns} x {@code rows}, redrawn in place; for tests and for callers that
     * know better than the detection.
     *
     * @throws IllegalArgumentException if either is not positive
     */
    public static Terminal fixed(int columns, int rows) {
        if (columns <= 0 || rows <= 0) {
            throw new IllegalArgumentException("a terminal of " + columns + " x " + rows
                    + ": both must be positive");
        }
        return new Terminal(null, name -> null, true, columns, rows);
    }

    /** Whether output may be redrawn in place. */
    boolean live() {
        Boolean known = live;
        if (known == null) {
            String term = variable("TERM");
            known = out == System.out && isConsole() && term != null && !term.isBlank()
                    && !term.equals("dumb");
            live = known;
        }
        return known;
    }

    /** Columns: {@code COLUMNS}, else {@code stty size}, else 80. */
    int columns() {
        return fixedColumns > 0 ? fixedColumns : size(1, "COLUMNS", DEFAULT_COLUMNS);
    }

    /** Rows: {@code LINES}, else {@code stty size}, else 24. */
    int rows() {
        return fixedRows > 0 ? fixedRows : size(0, "LINES", DEFAULT_ROWS);
    }

    private int size(int index, String variable, int fallback) {
        int fromEnv = positive(variable(variable));
        if (fromEnv > 0) {
            return fromEnv;
        }
        int[] queried = stty();
        return queried != null ? queried[index] : fallback;
    }

    private String variable(String name) {
        return env == null ? System.getenv(name) : env.apply(name);
    }

    /** {@code stty size} on {@code /dev/tty}: rows and columns, or {@code null}. */
    private static int[] stty() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(1, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] parts = answer.split("\\s+");
                int rows = positive(parts[0]);
                int columns = parts.length > 1 ? positive(parts[1]) : 0;
                if (rows > 0 && columns > 0) {
                    return new int[] {rows, columns};
                }
            }
        } catch (IOException | RuntimeException e) {
            // no stty, no /dev/tty: the fallback
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static int positive(String text) {
        try {
            int value = text == null ? 0 : Integer.parseInt(text.trim());
            return Math.max(value, 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A console, and on JDK 22+ one that is a terminal (the method is looked up: we build for 17). */
    private static boolean isConsole() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console exists only for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}

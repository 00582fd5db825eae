package dev.taskmanager.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/** Runs {@link TasksCli} (or {@link FilesCli}) in-process and captures what it printed and returned. */
final class Cli {

    /** What one invocation produced. */
    record Result(int exitCode, String out, String err) {
    }

    /** Records requested pauses instead of sleeping. */
    static class RecordingSleeper implements Sleeper {
        final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration duration) {
            pauses.add(duration);
        }
    }

    private static final Sleeper NO_SLEEP = d -> {
        throw new AssertionError("unexpected sleep of " + d);
    };

    private Cli() {
    }

    static Result run(String... args) {
        return run(NO_SLEEP, args);
    }

    static Result run(Sleeper sleeper, String... args) {
        return run(sleeper, Map.of(), args);
    }

    /**
     * Runs {@link TasksCli} with {@code env} as the whole environment (the tests never see the
     * process's own {@code TASKMANAGER_TOKEN}).
     */
    static Result run(Sleeper sleeper, Map<String, String> env, String... args) {
        return capture((o, e) -> TasksCli.run(o, e, sleeper, env::get, args));
    }

    /**
     * Runs {@link TasksCli} with everything injected: the sleeper, the terminal and the clock (a
     * test's sleeper usually advances the clock), no environment.
     */
    static Result run(Sleeper sleeper, Terminal terminal, LongSupplier nanoTime, String... args) {
        return capture((o, e) -> TasksCli.run(new Session(o, e, sleeper, terminal, nanoTime),
                name -> null, args));
    }

    /** A clock a test moves: the sleeper it hands out advances it by each pause it records. */
    static final class FakeTime implements LongSupplier {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
        final RecordingSleeper sleeper = new RecordingSleeper() {
            @Override
            public void sleep(Duration duration) {
                super.sleep(duration);
                nanos.addAndGet(duration.toNanos());
            }
        };

        @Override
        public long getAsLong() {
            return nanos.get();
        }
    }

    /** Runs {@link FilesCli} with {@code args} (starting with {@code files}) and no environment. */
    static Result files(String... args) {
        return files(Map.of(), args);
    }

    static Result files(Map<String, String> env, String... args) {
        return capture((o, e) -> FilesCli.run(o, e, env::get, args));
    }

    /** Runs {@code args} with {@code env}, followed by {@code -h 127.0.0.1 -p <port>} of {@code server}. */
    static Result against(FakeServer server, Map<String, String> env, String... args) {
        return run(NO_SLEEP, env, concat(args, server.address()));
    }

    private interface EntryPoint {
        int run(PrintStream out, PrintStream err);
    }

    private static Result capture(EntryPoint entryPoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = entryPoint.run(o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** {@link #files} with {@code -h 127.0.0.1 -p <port>} of {@code server} appended. */
    static Result filesAgainst(FakeServer server, String... args) {
        return files(concat(args, server.address()));
    }

    /** Runs {@code args} followed by {@code -h 127.0.0.1 -p <port>} of {@code server}. */
    static Result against(FakeServer server, String... args) {
        return run(concat(args, server.address()));
    }

    static Result against(FakeServer server, Sleeper sleeper, String... args) {
        return run(sleeper, concat(args, server.address()));
    }

    static String[] concat(String[] first, String[] second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
    }

    /** Lines joined with {@code \n}, each terminated. */
    static String lines(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** A table row: each cell padded to the width given after it, joined by one space. */
    static String row(Object... cellsAndWidths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cellsAndWidths.length; i += 2) {
            String cell = (String) cellsAndWidths[i];
            int width = (Integer) cellsAndWidths[i + 1];
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(cell).append(" ".repeat(width - cell.length()));
        }
        return sb.toString();
    }
}

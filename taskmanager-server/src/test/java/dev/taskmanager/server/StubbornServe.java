package dev.taskmanager.server;

import java.util.concurrent.CountDownLatch;

/**
 * A {@code serve} process for {@link ServeProcessTest}: the real command, plus a module whose one task
 * ignores abort, so that a stop has something to report. Exits with what {@code serve} returns, as
 * the app's {@code main} does.
 */
public final class StubbornServe {
    private StubbornServe() {
    }

    public static void main(String[] args) {
        int code = ServeCommand.run(System.out, System.err, (tm, server) ->
                tm.module("stubborn").task("ignores abort").scope("node").start(context -> {
                    CountDownLatch never = new CountDownLatch(1);
                    while (true) {
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            // ignores the abort on purpose
                        }
                    }
                }), args);
        System.out.flush();
        System.exit(code);
    }
}

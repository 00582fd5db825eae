package dev.taskmanager.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the test cannot get a future for (e.g. "the server holds the wait now"). */
final class Await {
    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}

package dev.taskmanager.files;

import java.util.concurrent.TimeUnit;

/**
 * Caps the read rate of a workload, across all its operations: each buffer read reserves the next
 * free slot of time its bytes take at the rate, and the reader waits for its slot. Waiting beats the
 * reader's pulse and checks whether it was cancelled at least every {@value #SLICE_MILLIS} ms, so a
 * throttled read neither counts as stalled nor delays an abort.
 *
 * <p>It measures real elapsed time ({@link System#nanoTime()}): it paces real I/O, not task
 * timestamps, so the task manager's injected clocks do not apply. Thread-safe.
 */
final class Throttle {
    private static final long SLICE_MILLIS = 20;

    private final double nanosPerByte;
    private long nextFree = Long.MIN_VALUE;

    /** @param bytesPerSecond the cap, or 0 for none */
    Throttle(long bytesPerSecond) {
        this.nanosPerByte = bytesPerSecond == 0 ? 0 : 1e9 / bytesPerSecond;
    }

    /** Waits until {@code bytes} more may be read, or until the reader is cancelled. */
    void acquire(long bytes, IoGuard.Pulse pulse) throws InterruptedException {
        if (nanosPerByte == 0) {
            return;
        }
        long start;
        synchronized (this) {
            long now = System.nanoTime();
            start = nextFree == Long.MIN_VALUE || nextFree - now < 0 ? now : nextFree;
            nextFree = start + (long) (bytes * nanosPerByte);
        }
        for (long wait = start - System.nanoTime(); wait > 0 && !pulse.cancelled();
             wait = start - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)));
            pulse.beat();
        }
    }
}

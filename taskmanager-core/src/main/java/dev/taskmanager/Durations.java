package dev.taskmanager;

import java.time.Duration;

/** Duration arithmetic that never throws on the long timeouts users are entitled to pass. */
final class Durations {
    private Durations() {
    }

    /** The duration in nanoseconds, saturating at {@link Long#MAX_VALUE} (~292 years) instead of throwing. */
    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}

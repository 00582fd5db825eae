package dev.taskmanager.server;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many large answers (listings and recursive statuses past one chunk, see
 * {@link StreamedBody}) are written at once. Each holds a pool thread, blocked while its client
 * reads, and the state its render needs; without a bound, slow readers of a big listing took every
 * thread and the heap with them (issue 11: 80 readers of 1,000,000 tasks drove the JVM into GC
 * death). Past the bound an answer is refused with 503 and {@code Retry-After}, before anything of
 * it is sent. Small answers never need a permit, so the API stays usable while large ones queue.
 *
 * <p>Thread-safe.
 */
final class RenderPermits {
    /** What {@code Retry-After} says: long enough for a listing in progress to make room. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final int limit;
    private final Semaphore permits;
    private final AtomicInteger blockedWrites = new AtomicInteger();

    RenderPermits(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("max concurrent listings must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Takes a permit if one is free; never waits. */
    boolean tryAcquire() {
        return permits.tryAcquire();
    }

    void release() {
        permits.release();
    }

    /** The 503 answered to a large render that found no permit. */
    ApiException busy() {
        return new ApiException(503, "too many large answers in progress (the limit is " + limit
                + " at once); retry in " + RETRY_AFTER_SECONDS + " seconds",
                Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
    }

    int limit() {
        return limit;
    }

    /** How many large answers are being written now; for tests and monitoring. */
    int inUse() {
        return limit - permits.availablePermits();
    }

    /** How many large answers are waiting for their client to take a chunk now; for tests. */
    int blockedWrites() {
        return blockedWrites.get();
    }

    void writeBlocked() {
        blockedWrites.incrementAndGet();
    }

    void writeUnblocked() {
        blockedWrites.decrementAndGet();
    }
}

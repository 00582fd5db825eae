package dev.taskmanager;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates random (version 4) task ids from {@link ThreadLocalRandom}. Ids must be unique, not
 * unguessable, and {@link UUID#randomUUID()} goes through a shared {@code SecureRandom} that costs
 * more than the rest of a task's whole lifecycle.
 */
final class TaskIds {
    private TaskIds() {
    }

    static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;                        // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb);
    }
}

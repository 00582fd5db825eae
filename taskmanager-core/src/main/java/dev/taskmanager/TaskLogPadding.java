package dev.taskmanager;

/**
 * Cache-line padding around a {@link TaskLog}'s writable state. A module's logs (one per shard) are
 * allocated together, and two threads appending on their own shards would otherwise write the same
 * cache line: its lock word and counters. Superclass fields are laid out before subclass fields, so
 * the state sits between two runs of padding. (The JDK's {@code @Contended} needs a JVM flag.)
 */
final class TaskLogPadding {
    private TaskLogPadding() {
    }

    /** Padding before the state. */
    abstract static class Left {
        long p01, p02, p03, p04, p05, p06, p07, p08;
    }

    /** The log's writable state, guarded by its spin lock (see {@link TaskLog}). */
    abstract static class State extends Left {
        @SuppressWarnings("unused") // accessed through TaskLog's LOCK handle
        volatile int lock;
        long lastStamp;
        long sequence;
        TaskLog.Chunk tail;
        int nulls;
        int sweepAt;
    }

    /** Padding after the state. */
    abstract static class Right extends State {
        long p11, p12, p13, p14, p15, p16, p17, p18;
    }
}

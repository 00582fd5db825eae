package dev.taskmanager;

/**
 * The clocks as one snapshot reads them: the ticker and the wall clock are each read at most once,
 * and only if something in the snapshot needs them (a rate, a progress time), so snapshots of tasks
 * that never report progress read no clock at all.
 */
final class SnapshotTime {
    private final TaskManager manager;
    private boolean ticked;
    private long tick;
    private boolean walled;
    private long wall;

    SnapshotTime(TaskManager manager) {
        this.manager = manager;
    }

    /** The ticker reading of this snapshot. */
    long tick() {
        if (!ticked) {
            tick = manager.tickNow();
            ticked = true;
        }
        return tick;
    }

    /** The wall-clock time, in epoch nanoseconds, of the ticker reading {@code at}. */
    long wallAt(long at) {
        if (!walled) {
            wall = manager.wallNow();
            walled = true;
        }
        long ago = tick() - at;
        return wall - Math.max(0, ago);
    }
}

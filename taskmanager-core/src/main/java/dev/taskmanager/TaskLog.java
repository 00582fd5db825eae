package dev.taskmanager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * The registered tasks of one module on one shard, in creation order: the module's index for
 * listings (a module's listing touches only its own tasks) and the ordered index that query pages
 * seek into (SPEC §22).
 *
 * <p><b>Order for free.</b> Appending takes this log's lock, which also hands out the created stamp
 * and the module's sequence numbers for the shard (SPEC §4). The stamp is the wall-clock reading of
 * the creator, raised if needed to one nanosecond past the previous stamp, so stamps strictly
 * increase along the log: the log is sorted by {@code (createdTime, id)} without any sorting, and a
 * page is a binary search plus a scan.
 *
 * <p><b>Chunks.</b> Slots live in fixed chunks of {@value #CHUNK_SIZE}. A removed task's slot is
 * cleared at once (its stamp stays, so the chunk remains searchable); a full chunk whose slots are
 * all clear is dropped from the directory by a sweep: a few chunks at each new chunk, and a bounded
 * slice of the directory at each housekeeping run, so removal itself costs one plain write. Memory
 * follows the registered tasks: at worst one chunk (about 800 bytes) per registered task when
 * survivors are isolated, a few bytes per task when they are dense.
 *
 * <p><b>Lock.</b> Appends, drops and sweeps take a spin lock: the critical section is a handful of
 * writes (plus, once per chunk, an allocation), and a spin lock costs one compare-and-set where a
 * monitor costs two. A waiter spins briefly, then yields.
 *
 * <p><b>Readers</b> take no lock: the directory, a chunk's fill count and its slots are published
 * with release writes and read with acquire reads. A scan is weakly consistent: it sees every task
 * that was registered when it started and is still registered when it gets there, may or may not
 * see tasks registered or removed meanwhile, and never fails.
 */
final class TaskLog extends TaskLogPadding.Right {
    static final int CHUNK_SIZE = 64;
    private static final int INITIAL_DIRECTORY = 8;
    /** How many chunks an append that opens a new chunk sweeps. */
    private static final int SWEEP_ON_APPEND = 2;
    /** How many chunks a housekeeping run sweeps at most per log. */
    private static final int SWEEP_ON_HOUSEKEEPING = 4096;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(TaskImpl[].class);
    private static final VarHandle FILLED;
    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FILLED = lookup.findVarHandle(Chunk.class, "filled", int.class);
            LOCK = lookup.findVarHandle(TaskLogPadding.State.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Directory directory = new Directory(INITIAL_DIRECTORY);

    TaskLog() {
        lastStamp = Long.MIN_VALUE;
    }

    /** A fixed run of slots, with the stamp of each slot ever appended. */
    static final class Chunk {
        final TaskImpl[] slots = new TaskImpl[CHUNK_SIZE];
        final long[] stamps = new long[CHUNK_SIZE];
        final long firstStamp;
        /** How many slots were appended; written with release under the log's lock. */
        @SuppressWarnings("unused") // accessed through FILLED
        private int filled;

        Chunk(long firstStamp) {
            this.firstStamp = firstStamp;
        }

        int filled() {
            return (int) FILLED.getAcquire(this);
        }

        TaskImpl slot(int i) {
            return (TaskImpl) SLOTS.getAcquire(slots, i);
        }
    }

    /**
     * The chunks in stamp order. Entries {@code [start, end)} are in use; a dropped chunk's entry
     * becomes null but keeps its first stamp, so binary search still works. Replaced, never resized.
     */
    private static final class Directory {
        final Chunk[] chunks;
        final long[] firstStamps;
        volatile int start;
        volatile int end;

        Directory(int capacity) {
            chunks = new Chunk[capacity];
            firstStamps = new long[capacity];
        }
    }

    /**
     * Appends a new task: stamps it with its creation time ({@code now}, raised past the previous
     * stamp) and, when {@code drawSequence}, the next sequence number.
     */
    void append(TaskImpl task, long now, boolean drawSequence) {
        lock();
        try {
            long stamp = now > lastStamp ? now : lastStamp + 1;
            lastStamp = stamp;
            task.createdEpochNanos = stamp;
            if (drawSequence) {
                task.sequenceNumber = ++sequence;
            }
            Chunk chunk = tail;
            int slot;
            if (chunk == null || (slot = (int) FILLED.get(chunk)) == CHUNK_SIZE) {
                sweep(SWEEP_ON_APPEND);
                chunk = addChunk(stamp);
                slot = 0;
            }
            chunk.stamps[slot] = stamp;
            chunk.slots[slot] = task;
            task.logChunk = chunk;
            task.logSlot = slot;
            FILLED.setRelease(chunk, slot + 1);
        } finally {
            unlock();
        }
    }

    /** Removes a task appended here; called once per task, when it leaves the registry. One plain write. */
    void remove(TaskImpl task) {
        Chunk chunk = task.logChunk;
        if (chunk == null) {
            return;
        }
        task.logChunk = null;
        SLOTS.setRelease(chunk.slots, task.logSlot, null);
    }

    /** Drops the emptied chunks of a bounded slice of the directory; for housekeeping. */
    void sweep() {
        lock();
        try {
            sweep(SWEEP_ON_HOUSEKEEPING);
        } finally {
            unlock();
        }
    }

    private void lock() {
        if (LOCK.compareAndSet(this, 0, 1)) {
            return;
        }
        for (int spins = 0; !LOCK.compareAndSet(this, 0, 1); spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }

    private Chunk addChunk(long firstStamp) {
        Chunk chunk = new Chunk(firstStamp);
        Directory dir = directory;
        int end = dir.end;
        if (end == dir.chunks.length) {
            dir = rebuilt(dir, Math.max(INITIAL_DIRECTORY, 2 * (end - dir.start - nulls) + 1));
            end = dir.end;
        }
        dir.chunks[end] = chunk;
        dir.firstStamps[end] = firstStamp;
        dir.end = end + 1;
        tail = chunk;
        return chunk;
    }

    /**
     * Looks at up to {@code count} chunks from where the last sweep stopped, round the directory,
     * and drops those that are full and whose slots are all clear; under the lock.
     */
    private void sweep(int count) {
        Directory dir = directory;
        for (int n = 0; n < count; n++) {
            int start = dir.start;
            int end = dir.end;
            if (start >= end) {
                return;
            }
            if (sweepAt < start || sweepAt >= end) {
                sweepAt = start;
            }
            int i = sweepAt++;
            Chunk chunk = dir.chunks[i];
            if (chunk != null && chunk != tail && isEmpty(chunk)) {
                dir.chunks[i] = null;
                nulls++;
                while (start < end && dir.chunks[start] == null) {
                    start++;
                    nulls--;
                }
                dir.start = start;
                if (nulls > 16 && nulls * 2 > end - start) {
                    dir = rebuilt(dir, Math.max(INITIAL_DIRECTORY, 2 * (end - start - nulls)));
                    sweepAt = 0;
                }
            }
            if (end - start <= n) {
                return; // went round the whole directory
            }
        }
    }

    private static boolean isEmpty(Chunk chunk) {
        if (chunk.filled() != CHUNK_SIZE) {
            return false;
        }
        for (int i = 0; i < CHUNK_SIZE; i++) {
            if (chunk.slot(i) != null) {
                return false;
            }
        }
        return true;
    }

    /** A fresh directory holding the live chunks of {@code dir}; published before it returns. */
    private Directory rebuilt(Directory dir, int capacity) {
        Directory fresh = new Directory(capacity);
        int n = 0;
        for (int i = dir.start; i < dir.end; i++) {
            if (dir.chunks[i] != null) {
                fresh.chunks[n] = dir.chunks[i];
                fresh.firstStamps[n] = dir.firstStamps[i];
                n++;
            }
        }
        fresh.end = n;
        nulls = 0;
        directory = fresh;
        return fresh;
    }

    /** How many chunks the directory holds; for tests. */
    int chunkCount() {
        Directory dir = directory;
        int count = 0;
        for (int i = dir.start; i < dir.end; i++) {
            if (dir.chunks[i] != null) {
                count++;
            }
        }
        return count;
    }

    /** The index of the last entry whose first stamp is at most {@code stamp}, or {@code start - 1}. */
    private static int floorIndex(Directory dir, long stamp) {
        int lo = dir.start;
        int hi = dir.end - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (dir.firstStamps[mid] <= stamp) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /** The tasks this log holds, oldest first; for tests and consistency checks (not atomic). */
    List<TaskImpl> snapshotForCheck() {
        List<TaskImpl> tasks = new ArrayList<>();
        Scan scan = scan(false);
        while (scan.hasNext()) {
            tasks.add(scan.next());
        }
        return tasks;
    }

    /**
     * Checks the log's invariants against a quiescent registry: strictly increasing stamps, each
     * task's recorded position and stamp, chunk removal counts.
     */
    void assertConsistent(String name) {
        Directory dir = directory;
        long previous = Long.MIN_VALUE;
        for (int i = dir.start; i < dir.end; i++) {
            Chunk chunk = dir.chunks[i];
            if (chunk == null) {
                continue;
            }
            int filled = chunk.filled();
            check(chunk == tail || filled == CHUNK_SIZE, name + ": chunk " + i + " is not full yet not the tail");
            for (int s = 0; s < filled; s++) {
                check(chunk.stamps[s] > previous, name + ": stamps do not increase at chunk " + i + " slot " + s);
                previous = chunk.stamps[s];
                TaskImpl task = chunk.slots[s];
                if (task != null) {
                    check(task.logChunk == chunk && task.logSlot == s,
                            name + ": task " + task + " does not know its position in the log");
                    check(task.createdEpochNanos == chunk.stamps[s],
                            name + ": task " + task + " has another stamp than its slot");
                }
            }
        }
    }

    private static void check(boolean condition, String violation) {
        if (!condition) {
            throw new IllegalStateException(violation);
        }
    }

    /** A scan of the whole log, oldest first or newest first. */
    Scan scan(boolean descending) {
        Scan scan = new Scan(directory, descending);
        if (descending) {
            scan.positionAtEnd();
        } else {
            scan.positionAtStart();
        }
        return scan;
    }

    /**
     * A scan starting strictly after {@code (stamp, id)} in the scan's direction: oldest first from
     * the first key above it, or newest first from the last key below it.
     */
    Scan scanAfter(long stamp, UUID id, boolean descending) {
        Scan scan = new Scan(directory, descending);
        scan.seek(stamp, id);
        return scan;
    }

    /**
     * A cursor over the log in one direction. Holds O(1) state: a directory snapshot, a chunk
     * index and a slot. Not thread-safe; each reader makes its own.
     */
    static final class Scan {
        private final Directory dir;
        private final boolean descending;
        private int chunkIndex;
        private int slot;
        private TaskImpl next;

        private Scan(Directory dir, boolean descending) {
            this.dir = dir;
            this.descending = descending;
        }

        private void positionAtStart() {
            chunkIndex = dir.start;
            slot = 0;
        }

        private void positionAtEnd() {
            chunkIndex = dir.end - 1;
            Chunk chunk = chunkIndex >= dir.start ? dir.chunks[chunkIndex] : null;
            slot = chunk == null ? -1 : chunk.filled() - 1;
        }

        private void seek(long stamp, UUID id) {
            int i = floorIndex(dir, stamp);
            if (i < dir.start) {
                // Every chunk starts after the key.
                if (descending) {
                    chunkIndex = dir.start - 1; // nothing before it
                } else {
                    positionAtStart();
                }
                return;
            }
            chunkIndex = i;
            Chunk chunk = dir.chunks[i];
            if (chunk == null) {
                // Dropped: nothing of it is registered any more; its neighbours decide.
                slot = descending ? -1 : CHUNK_SIZE;
                return;
            }
            int filled = chunk.filled();
            // First slot whose stamp is >= the key's stamp.
            int lo = 0;
            int hi = filled;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (chunk.stamps[mid] < stamp) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            boolean sameStamp = lo < filled && chunk.stamps[lo] == stamp;
            if (descending) {
                // Last key below (stamp, id): the slot with the same stamp counts if its id is smaller.
                slot = lo - 1;
                if (sameStamp) {
                    TaskImpl task = chunk.slot(lo);
                    if (task != null && TaskCursor.compareIds(task.id, id) < 0) {
                        slot = lo;
                    }
                }
            } else {
                slot = lo;
                if (sameStamp) {
                    TaskImpl task = chunk.slot(lo);
                    if (task == null || TaskCursor.compareIds(task.id, id) <= 0) {
                        slot = lo + 1;
                    }
                }
            }
        }

        boolean hasNext() {
            if (next != null) {
                return true;
            }
            next = descending ? findBackward() : findForward();
            return next != null;
        }

        TaskImpl next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TaskImpl task = next;
            next = null;
            return task;
        }

        /** The task {@link #next()} would return, without moving; null at the end. */
        TaskImpl peek() {
            return hasNext() ? next : null;
        }

        private TaskImpl findForward() {
            int end = dir.end;
            while (chunkIndex < end) {
                Chunk chunk = dir.chunks[chunkIndex];
                if (chunk != null) {
                    int filled = chunk.filled();
                    while (slot < filled) {
                        TaskImpl task = chunk.slot(slot++);
                        if (task != null) {
                            return task;
                        }
                    }
                }
                chunkIndex++;
                slot = 0;
            }
            return null;
        }

        private TaskImpl findBackward() {
            int start = dir.start;
            while (chunkIndex >= start) {
                Chunk chunk = dir.chunks[chunkIndex];
                if (chunk != null) {
                    slot = Math.min(slot, chunk.filled() - 1);
                    while (slot >= 0) {
                        TaskImpl task = chunk.slot(slot--);
                        if (task != null) {
                            return task;
                        }
                    }
                }
                chunkIndex--;
                slot = CHUNK_SIZE - 1;
            }
            return null;
        }
    }
}

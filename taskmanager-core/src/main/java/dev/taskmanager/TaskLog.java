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
 * <p><b>Order for free.</b> Appending hands out the created stamp and the module's sequence number
 * for the shard (SPEC §4). The stamp is the wall-clock reading of the creator, raised if needed to
 * one nanosecond past the previous stamp, so stamps strictly increase along the log: the log is
 * sorted by {@code (createdTime, id)} without any sorting, and a page is a search plus a scan.
 *
 * <p><b>Chunks.</b> Slots live in fixed chunks of {@value #CHUNK_SIZE}. Each slot keeps the task,
 * its stamp and its {@link IndexKey} (what query filters can decide without reading the task
 * object, so a scan that steps over non-matching tasks reads the chunk's arrays only). A removed
 * task's slot gets the {@link #REMOVED} marker at once (its stamp stays, so the chunk remains
 * searchable); a closed chunk whose slots are all removed is dropped from the directory by a sweep:
 * a few chunks at each new chunk, and a bounded slice of the directory at each housekeeping run, so
 * removal itself costs one plain write. Memory follows the registered tasks: at worst one chunk
 * (about 1.3 KB) per registered task when survivors are isolated, about 20 bytes per task when they
 * are dense.
 *
 * <p><b>Appending takes no lock.</b> A chunk's {@link Chunk#word word} packs how many slots were
 * claimed, how many of them drew a sequence number, whether the chunk is closed, and the last stamp
 * (as an offset from the chunk's base stamp). An append reads the word, computes its stamp from the
 * last one, and claims the next slot with one compare-and-set of the word; only then does it write
 * the slot. Stamp, sequence number and position are decided by that one atomic step, so they agree,
 * and no appender ever waits for another: a thread descheduled anywhere delays nobody (a failed
 * compare-and-set means another append succeeded). Opening the next chunk, when the tail is full or
 * its offsets run out (after about 6.5 days), and sweeping take this log's monitor: once per
 * {@value #CHUNK_SIZE} appends, a real lock that parks its waiters.
 *
 * <p><b>Readers</b> take no lock: the directory, a chunk's word and its slots are published with
 * release writes (or the compare-and-set) and read with acquire reads. A claimed slot whose task is
 * not written yet reads as empty: that task is being created, so it is not registered yet. A scan is
 * weakly consistent: it sees every task that was registered when it started and is still registered
 * when it gets there, may or may not see tasks registered or removed meanwhile, and never fails.
 */
final class TaskLog {
    static final int CHUNK_SIZE = 64;
    private static final int INITIAL_DIRECTORY = 8;
    /** How many chunks opening a new chunk sweeps. */
    private static final int SWEEP_ON_APPEND = 2;
    /** How many chunks a housekeeping run sweeps at most per log. */
    private static final int SWEEP_ON_HOUSEKEEPING = 4096;

    // The chunk word: | claimed slots: 7 bits | drawn sequence numbers: 7 bits | closed: 1 bit |
    // offset of the last stamp from the chunk's base: 49 bits (about 6.5 days of nanoseconds) |
    private static final int CLAIMED_SHIFT = 57;
    private static final int DRAWN_SHIFT = 50;
    private static final long DRAWN_MASK = 0x7F;
    private static final long CLOSED = 1L << 49;
    private static final long OFFSET_MASK = CLOSED - 1;
    private static final long ONE_CLAIMED = 1L << CLAIMED_SHIFT;
    private static final long ONE_DRAWN = 1L << DRAWN_SHIFT;

    /** The marker a removed task leaves in its slot. Never registered, never returned by a scan. */
    static final TaskImpl REMOVED = new TaskImpl(new UUID(0, 0), null, null, null, "", "", "", "", "", "", 0,
            false, false, false, false, false, Labels.NONE, null);

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(TaskImpl[].class);
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(Chunk.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Directory directory = new Directory(INITIAL_DIRECTORY);
    /** The chunk appends go to; null before the first. Replaced under the monitor. */
    private volatile Chunk tail;
    /** Guarded by the monitor: the sweep's position and the directory's dropped entries. */
    private int sweepAt;
    private int nulls;

    /** A fixed run of slots, with the stamp and index key of each slot ever claimed. */
    static final class Chunk {
        final TaskImpl[] slots = new TaskImpl[CHUNK_SIZE];
        final long[] stamps = new long[CHUNK_SIZE];
        final long[] keys = new long[CHUNK_SIZE];
        /** Every stamp in this chunk is greater than this, and at least every stamp before it. */
        final long base;
        /** How many sequence numbers the shard drew before this chunk. */
        final long sequenceBase;
        /** Claimed count, drawn count, closed bit and last stamp; changed only by compare-and-set. */
        private volatile long word;

        Chunk(long base, long sequenceBase) {
            this.base = base;
            this.sequenceBase = sequenceBase;
        }

        /** How many slots were claimed; the tasks of some of the last may not be written yet. */
        int claimed() {
            return claimed(word);
        }

        private static int claimed(long word) {
            return (int) (word >>> CLAIMED_SHIFT);
        }

        /** The task in slot {@code i}; null if removed or not written yet. */
        TaskImpl slot(int i) {
            TaskImpl task = raw(i);
            return task == REMOVED ? null : task;
        }

        /**
         * The slot as written: a task, {@link #REMOVED}, or null if its task is not written yet. An
         * acquire read, written as a plain read and a fence: the handle's typed read would check the
         * reference's class, reading the task object, which a scan that only compares the reference
         * must not pay for (a cache miss per task stepped over).
         */
        TaskImpl raw(int i) {
            TaskImpl task = slots[i];
            VarHandle.acquireFence();
            return task;
        }
    }

    /**
     * The chunks in stamp order. Entries {@code [start, end)} are in use; a dropped chunk's entry
     * becomes null but keeps its base stamp, so binary search still works. Replaced, never resized.
     */
    private static final class Directory {
        final Chunk[] chunks;
        final long[] bases;
        volatile int start;
        volatile int end;

        Directory(int capacity) {
            chunks = new Chunk[capacity];
            bases = new long[capacity];
        }
    }

    /**
     * Appends a new task: stamps it with its creation time ({@code now}, raised past the previous
     * stamp) and, when {@code drawSequence}, the next sequence number. Lock-free; see the class comment.
     */
    void append(TaskImpl task, long now, boolean drawSequence) {
        long key = IndexKey.of(task);
        for (;;) {
            Chunk chunk = tail;
            if (chunk != null) {
                long word = (long) WORD.getVolatile(chunk);
                int slot = Chunk.claimed(word);
                if (slot < CHUNK_SIZE && (word & CLOSED) == 0) {
                    long last = chunk.base + (word & OFFSET_MASK);
                    long stamp = now > last ? now : last + 1;
                    long offset = stamp - chunk.base; // negative if it overflowed
                    if (offset >= 0 && offset <= OFFSET_MASK) {
                        long claimed = (word & ~OFFSET_MASK) + ONE_CLAIMED + (drawSequence ? ONE_DRAWN : 0) | offset;
                        if (WORD.compareAndSet(chunk, word, claimed)) {
                            task.createdEpochNanos = stamp;
                            if (drawSequence) {
                                task.sequenceNumber = chunk.sequenceBase + ((word >>> DRAWN_SHIFT) & DRAWN_MASK) + 1;
                            }
                            task.logChunk = chunk;
                            task.logSlot = slot;
                            chunk.stamps[slot] = stamp;
                            chunk.keys[slot] = key;
                            SLOTS.setRelease(chunk.slots, slot, task); // publishes the stamp and key too
                            return;
                        }
                        continue; // another append claimed the slot: retry with its stamp
                    }
                }
            }
            openChunk(chunk, now);
        }
    }

    /**
     * Closes {@code full} (the tail an append found full, or whose offsets cannot reach {@code now})
     * and opens the next chunk, unless another thread already did; under the monitor.
     */
    private synchronized void openChunk(Chunk full, long now) {
        if (tail != full) {
            return;
        }
        long last = Long.MIN_VALUE;
        long sequence = 0;
        if (full != null) {
            long word;
            do {
                word = (long) WORD.getVolatile(full); // appends may still claim slots until it is closed
            } while ((word & CLOSED) == 0 && !WORD.compareAndSet(full, word, word | CLOSED));
            last = full.base + (word & OFFSET_MASK);
            sequence = full.sequenceBase + ((word >>> DRAWN_SHIFT) & DRAWN_MASK);
        }
        // The next stamp is at least now and above last: a base just below it keeps the offsets small.
        long base = now == Long.MIN_VALUE ? now : Math.max(last, now - 1);
        sweep(SWEEP_ON_APPEND);
        Chunk chunk = new Chunk(base, sequence);
        Directory dir = directory;
        int end = dir.end;
        if (end == dir.chunks.length) {
            dir = rebuilt(dir, Math.max(INITIAL_DIRECTORY, 2 * (end - dir.start - nulls) + 1));
            end = dir.end;
        }
        dir.chunks[end] = chunk;
        dir.bases[end] = base;
        dir.end = end + 1;
        tail = chunk;
    }

    /** Removes a task appended here; called once per task, when it leaves the registry. One plain write. */
    void remove(TaskImpl task) {
        Chunk chunk = task.logChunk;
        if (chunk == null) {
            return;
        }
        task.logChunk = null;
        SLOTS.setRelease(chunk.slots, task.logSlot, REMOVED);
    }

    /** Drops the emptied chunks of a bounded slice of the directory; for housekeeping. */
    synchronized void sweep() {
        sweep(SWEEP_ON_HOUSEKEEPING);
    }

    /**
     * Looks at up to {@code count} chunks from where the last sweep stopped, round the directory,
     * and drops those that are closed and whose slots are all removed; under the monitor.
     */
    private void sweep(int count) {
        Directory dir = directory;
        Chunk current = tail;
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
            if (chunk != null && chunk != current && isEmpty(chunk)) {
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

    /** Whether a chunk that is no longer the tail holds no task: every claimed slot was removed. */
    private static boolean isEmpty(Chunk chunk) {
        int claimed = chunk.claimed();
        for (int i = 0; i < claimed; i++) {
            if (chunk.raw(i) != REMOVED) {
                return false; // registered, or still being written
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
                fresh.bases[n] = dir.bases[i];
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

    /** The index of the last entry whose base is below {@code stamp}, or {@code start - 1}. */
    private static int floorIndex(Directory dir, long stamp) {
        int lo = dir.start;
        int hi = dir.end - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (dir.bases[mid] < stamp) {
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
     * Checks the log's invariants against a quiescent registry: strictly increasing stamps above each
     * chunk's base, every chunk but the tail closed, each task's recorded position, stamp, index key
     * and sequence number.
     */
    void assertConsistent(String name) {
        Directory dir = directory;
        long previous = Long.MIN_VALUE;
        for (int i = dir.start; i < dir.end; i++) {
            Chunk chunk = dir.chunks[i];
            if (chunk == null) {
                continue;
            }
            long word = (long) WORD.getVolatile(chunk);
            int claimed = Chunk.claimed(word);
            check(chunk == tail || (word & CLOSED) != 0 || claimed == CHUNK_SIZE,
                    name + ": chunk " + i + " is open yet not the tail");
            check(chunk.base >= previous, name + ": chunk " + i + " starts below the previous chunk's stamps");
            previous = chunk.base;
            for (int s = 0; s < claimed; s++) {
                TaskImpl task = chunk.raw(s);
                check(task != null, name + ": chunk " + i + " slot " + s + " was claimed but never written");
                check(chunk.stamps[s] > previous, name + ": stamps do not increase at chunk " + i + " slot " + s);
                previous = chunk.stamps[s];
                if (task != REMOVED) {
                    check(task.logChunk == chunk && task.logSlot == s,
                            name + ": task " + task + " does not know its position in the log");
                    check(task.createdEpochNanos == chunk.stamps[s],
                            name + ": task " + task + " has another stamp than its slot");
                    check(chunk.keys[s] == IndexKey.of(task), name + ": task " + task + " has a stale index key");
                }
            }
            long drawn = (word >>> DRAWN_SHIFT) & DRAWN_MASK;
            check(drawn <= claimed, name + ": chunk " + i + " drew more sequence numbers than it has slots");
            check(previous - chunk.base <= OFFSET_MASK, name + ": chunk " + i + " stamps beyond its offsets");
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
     * index and a slot. After {@link #hasNext()} found a task, {@link #stamp()} and {@link #key()}
     * describe it from the chunk's arrays, without reading the task object. Not thread-safe; each
     * reader makes its own.
     */
    static final class Scan {
        private final Directory dir;
        private final boolean descending;
        private int chunkIndex;
        private int slot;
        private TaskImpl next;
        private long nextStamp;
        private long nextKey;
        private long mask;
        private long value;

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
            slot = chunk == null ? -1 : chunk.claimed() - 1;
        }

        private void seek(long stamp, UUID id) {
            int i = floorIndex(dir, stamp);
            if (i < dir.start) {
                // Every chunk's stamps are above the key.
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
            int claimed = chunk.claimed();
            // The first written slot whose stamp is >= the key's stamp. Slots not written yet (their
            // tasks are being created, so not registered) are skipped: every written slot before lo is
            // below the stamp, every written slot from hi on is at or above it.
            int lo = 0;
            int hi = claimed;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int written = mid;
                while (written < hi && chunk.raw(written) == null) {
                    written++;
                }
                if (written == hi) {
                    hi = mid;
                } else if (chunk.stamps[written] < stamp) {
                    lo = written + 1;
                } else {
                    hi = mid;
                }
            }
            while (lo < claimed && chunk.raw(lo) == null) {
                lo++;
            }
            boolean sameStamp = lo < claimed && chunk.stamps[lo] == stamp;
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
            return descending ? findBackward() : findForward();
        }

        TaskImpl next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TaskImpl task = next;
            next = null;
            return task;
        }

        /** The creation stamp of the task {@link #next()} returns (or returned last). */
        long stamp() {
            return nextStamp;
        }

        /** The {@link IndexKey} of the task {@link #next()} returns (or returned last). */
        long key() {
            return nextKey;
        }

        /**
         * Skips the tasks whose {@link IndexKey} rules them out: {@code (key & mask) != value}. The
         * scan then reads only the keys of those it skips; to keep the work of a merge across logs
         * bounded, it still stops at the first task of each chunk it enters after skipping, whether
         * it may match or not, so a caller must check the key of what it gets.
         */
        Scan skipUnless(long mask, long value) {
            this.mask = mask;
            this.value = value;
            return this;
        }

        private boolean findForward() {
            int end = dir.end;
            boolean stopAtNext = false;
            while (chunkIndex < end) {
                Chunk chunk = dir.chunks[chunkIndex];
                if (chunk != null) {
                    int claimed = chunk.claimed();
                    while (slot < claimed) {
                        int s = slot++;
                        // A key read before its slot is either the task's or, for a task still being
                        // created (not registered, so it may be missed), not written yet.
                        if (!stopAtNext && (chunk.keys[s] & mask) != value) {
                            continue;
                        }
                        TaskImpl task = chunk.raw(s);
                        if (task != null && task != REMOVED) {
                            return found(chunk, s, task);
                        }
                    }
                    stopAtNext = mask != 0;
                }
                chunkIndex++;
                slot = 0;
            }
            return false;
        }

        private boolean findBackward() {
            int start = dir.start;
            boolean stopAtNext = false;
            while (chunkIndex >= start) {
                Chunk chunk = dir.chunks[chunkIndex];
                if (chunk != null) {
                    slot = Math.min(slot, chunk.claimed() - 1);
                    while (slot >= 0) {
                        int s = slot--;
                        if (!stopAtNext && (chunk.keys[s] & mask) != value) {
                            continue;
                        }
                        TaskImpl task = chunk.raw(s);
                        if (task != null && task != REMOVED) {
                            return found(chunk, s, task);
                        }
                    }
                    stopAtNext = mask != 0;
                }
                chunkIndex--;
                slot = CHUNK_SIZE - 1;
            }
            return false;
        }

        private boolean found(Chunk chunk, int s, TaskImpl task) {
            next = task;
            nextStamp = chunk.stamps[s];
            nextKey = chunk.keys[s];
            return true;
        }
    }
}

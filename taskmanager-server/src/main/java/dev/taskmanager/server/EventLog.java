package dev.taskmanager.server;

/**
 * The shared log of the event stream: a ring of the most recent events, bounded both in number and in
 * bytes, from which every client reads at its own cursor. Resuming clients replay from it; a client
 * whose cursor falls out of it has lost events and gets a {@code reset}.
 *
 * <p>Event ids are consecutive from {@code base + 1}. {@link #append} is called by one thread only
 * (the dispatcher); any thread may read. A reader reads {@link #head()} first (a volatile read that
 * publishes every event up to it), then {@link #get} ids up to it; an id evicted meanwhile reads as
 * {@code null}, never as another event. Evicted slots are cleared, so the bytes bound is a bound on
 * what the log holds.
 */
final class EventLog {
    private final Event[] ring;
    private final long maxBytes;
    /** The newest event's id; {@code base} while empty. */
    private volatile long head;
    /** The oldest event's id still held; {@code head + 1} when none is. */
    private volatile long oldest;
    /** The frame bytes held; written by the appending thread only. */
    private long bytes;

    /**
     * @param capacity how many events it holds at most
     * @param maxBytes how many frame bytes it holds at most (the newest event is always held)
     * @param base     the id before the first event
     */
    EventLog(int capacity, long maxBytes, long base) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("event log bounds must be positive, got " + capacity + " events, "
                    + maxBytes + " bytes");
        }
        this.ring = new Event[capacity];
        this.maxBytes = maxBytes;
        this.head = base;
        this.oldest = base + 1;
    }

    /** The newest event's id (the base while empty). */
    long head() {
        return head;
    }

    /** The oldest id held; {@link #head()} + 1 when the log is empty. */
    long oldest() {
        return oldest;
    }

    /** Whether a client that has seen every event up to {@code id} can continue from here. */
    boolean canResumeAfter(long id) {
        return id >= oldest - 1 && id <= head;
    }

    /** The event with this id, or {@code null} if it is not (or no longer) held. */
    Event get(long id) {
        if (id > head || id < oldest) {
            return null;
        }
        Event event = ring[index(id)];
        return event != null && event.id == id ? event : null;
    }

    /** The id the next event must have. Appending thread only. */
    long nextId() {
        return head + 1;
    }

    /**
     * Appends the next event, evicting the oldest ones past either bound. Appending thread only.
     *
     * @throws IllegalArgumentException if its id is not {@link #nextId()}
     */
    void append(Event event) {
        if (event.id != head + 1) {
            throw new IllegalArgumentException("event " + event.id + " appended after " + head);
        }
        long first = oldest;
        long last = head;
        if (last - first + 1 == ring.length) {
            first = evict(first);
        }
        while (first <= last && bytes + event.frame.length > maxBytes) {
            first = evict(first);
        }
        ring[index(event.id)] = event;
        bytes += event.frame.length;
        if (first > last) {
            first = event.id;
        }
        oldest = first;
        head = event.id; // publishes the slot
    }

    private long evict(long id) {
        int i = index(id);
        Event gone = ring[i];
        if (gone != null && gone.id == id) {
            bytes -= gone.frame.length;
            ring[i] = null;
        }
        oldest = id + 1; // before the slot is reused: a reader of id now sees it gone
        return id + 1;
    }

    /** The frame bytes held now; for tests. Appending thread, or after it is done. */
    long bytes() {
        return bytes;
    }

    private int index(long id) {
        return (int) Math.floorMod(id, (long) ring.length);
    }
}

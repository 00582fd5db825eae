package dev.taskmanager;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a page of a {@link TaskQuery} ended: the ordering key of the last task it returned
 * (SPEC §22). The next page holds the tasks that come strictly after this key in the
 * query's order, whatever happened to the task it came from. A plain value: servers may encode it
 * into an opaque token, and a history store that orders its rows by the same key can continue a
 * scan begun on live tasks.
 *
 * <p>The key is a total order on fields that never change and are persisted: in
 * {@link TaskQuery.Order#CREATED} order {@code (createdTime, id)}; in
 * {@link TaskQuery.Order#SEQUENCE} order {@code (sequenceNumber, createdTime, id)}. Ids compare as
 * unsigned 128-bit numbers, which is the order of their canonical lowercase text.
 *
 * @param sequenceNumber the task's sequence number (used by {@code SEQUENCE} order only)
 * @param createdTime    the task's creation time, full precision
 * @param id             the task's id
 */
public record TaskCursor(long sequenceNumber, Instant createdTime, UUID id) {

    /** Both the time and the id are required. */
    public TaskCursor {
        Objects.requireNonNull(createdTime, "createdTime");
        Objects.requireNonNull(id, "id");
    }

    /** The cursor just after this task (a task whose creation time is unknown sorts as the epoch). */
    public static TaskCursor after(TaskStats task) {
        return new TaskCursor(task.sequenceNumber(), task.createdTime() != null ? task.createdTime() : Instant.EPOCH,
                task.id());
    }

    /**
     * Compares two ids as unsigned 128-bit numbers, which is the order of their canonical lowercase
     * text (and of a 16-byte big-endian binary column). This, not {@link UUID#compareTo} (which
     * compares signed halves), is the id order of every query key; a store that continues a scan
     * must order ids the same way.
     */
    public static int compareIds(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}

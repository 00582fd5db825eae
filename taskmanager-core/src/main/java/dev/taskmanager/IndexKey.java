package dev.taskmanager;

import java.util.Map;

/**
 * A task's summary for the index: 64 bits, kept beside each slot of a {@link TaskLog}, from which a
 * query scan decides most filters without reading the task object (the object is a cache miss; the
 * slot's summary is in the array the scan is already reading). It holds only what never changes
 * after creation: the internal and user-task flags, a 16-bit hash of the type, and a 46-bit Bloom
 * filter of the labels (two bits per label).
 *
 * <p>A query becomes a {@linkplain #maskOf mask} and a {@linkplain #valueOf value}: a task can match
 * only if {@code (key & mask) == value}. That test never rejects a matching task; it may let through
 * one that does not match (same type hash, or label bits set by other labels), which the full
 * filter then rejects.
 */
final class IndexKey {
    private static final long INTERNAL = 1;
    private static final long USER_TASK = 2;
    private static final int TYPE_SHIFT = 2;
    private static final long TYPE_BITS = 0xFFFFL << TYPE_SHIFT;
    private static final int LABEL_SHIFT = 18;
    private static final int LABEL_BITS = 64 - LABEL_SHIFT;

    private IndexKey() {
    }

    /** The summary of a task's immutable fields. */
    static long of(TaskImpl task) {
        long key = (task.isInternal() ? INTERNAL : 0) | (task.isUserTask() ? USER_TASK : 0) | typeBits(task.type);
        return task.labels.isEmpty() ? key : key | labelBits(task.labels);
    }

    /** The bits a query's filters fix; see the class comment. */
    static long maskOf(TaskQuery query) {
        return (query.includeInternal() ? 0 : INTERNAL) | (query.userTask() != null ? USER_TASK : 0)
                | (query.type() != null ? TYPE_BITS : 0) | labelBits(query.labels());
    }

    /** The values the bits of {@link #maskOf} must have for a task to possibly match. */
    static long valueOf(TaskQuery query) {
        return (Boolean.TRUE.equals(query.userTask()) ? USER_TASK : 0)
                | (query.type() != null ? typeBits(query.type()) : 0) | labelBits(query.labels());
    }

    private static long typeBits(String type) {
        int h = type.hashCode() * 0x9E3779B9;
        return ((long) (h >>> 16) << TYPE_SHIFT) & TYPE_BITS;
    }

    private static long labelBits(Map<String, String> labels) {
        Labels sorted = Labels.of(labels); // the same object for a task's or a query's labels
        long bits = 0;
        for (int i = 0; i < sorted.size(); i++) {
            bits |= labelBits(sorted.keyAt(i), sorted.valueAt(i));
        }
        return bits;
    }

    private static long labelBits(String key, String value) {
        int h = (key.hashCode() * 31 + value.hashCode()) * 0x9E3779B9;
        int first = Integer.remainderUnsigned(h, LABEL_BITS);
        int second = Integer.remainderUnsigned(Integer.rotateLeft(h, 16) * 0x85EBCA6B, LABEL_BITS);
        return (1L << (LABEL_SHIFT + first)) | (1L << (LABEL_SHIFT + second));
    }
}

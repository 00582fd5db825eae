package dev.taskmanager.micrometer;

import java.util.Locale;
import java.util.Objects;

/**
 * A reading of a history store's writer, as {@link HistoryMetrics} publishes it: the store's own
 * health record (the store module's {@code StoreHealth}) mapped field by field. Counters only grow.
 *
 * @param state         {@code up} (writes go through), {@code down} (the last write failed; retrying)
 *                      or {@code closed}
 * @param pending       tasks waiting to be written
 * @param writtenTotal  rows written since the store opened
 * @param failuresTotal write attempts (batches) that failed
 * @param rejectedTotal rows refused as malformed and skipped
 * @param droppedTotal  final states given up on past the pending bound while the store was down
 * @param purgedTotal   rows removed by retention
 */
public record HistoryHealth(String state, long pending, long writtenTotal, long failuresTotal, long rejectedTotal,
                            long droppedTotal, long purgedTotal) {

    /** The states {@link #state} may take, as tag values. */
    public static final java.util.List<String> STATES = java.util.List.of("up", "down", "closed");

    /**
     * Lower-cases the state.
     *
     * @throws IllegalArgumentException if the state is not one of {@link #STATES}
     */
    public HistoryHealth {
        state = Objects.requireNonNull(state, "state").toLowerCase(Locale.ROOT);
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + STATES + ", got '" + state + "'");
        }
    }
}

package dev.taskmanager;

import java.util.List;

/**
 * What a module stop left behind: the tasks that were still running when the stop's time bound ran
 * out (SPEC §10). Clean means every task finished in time.
 *
 * <p>A stop of a module with a million stubborn tasks must not build a million snapshots to report
 * them, so the report counts them all and carries the first {@value #MAX_REPORTED} (in the order the
 * module registered them).
 *
 * @param module            the stopped module's name
 * @param stillRunningCount how many tasks ignored the abort past the bound
 * @param stillRunning      the first of them, at most {@value #MAX_REPORTED}
 */
public record StopReport(String module, int stillRunningCount, List<TaskStats> stillRunning) {

    /** How many of the tasks still running a report carries at most. */
    public static final int MAX_REPORTED = 100;

    /** Copies the list so the report stays immutable. */
    public StopReport {
        stillRunning = List.copyOf(stillRunning);
        if (stillRunningCount < stillRunning.size() || stillRunning.size() > MAX_REPORTED) {
            throw new IllegalArgumentException("a report carries at most " + MAX_REPORTED
                    + " of the tasks it counts, not " + stillRunning.size() + " of " + stillRunningCount);
        }
    }

    /** Whether every task of the module finished within the bound. */
    public boolean isClean() {
        return stillRunningCount == 0;
    }
}

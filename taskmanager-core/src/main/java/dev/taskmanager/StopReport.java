package dev.taskmanager;

import java.util.List;

/**
 * What a module stop left behind: the tasks that were still running when the stop's time bound ran
 * out (SPEC §10). Empty means every task finished in time.
 *
 * @param module       the stopped module's name
 * @param stillRunning the tasks that ignored the abort past the bound
 */
public record StopReport(String module, List<TaskStats> stillRunning) {

    /** Copies the list so the report stays immutable. */
    public StopReport {
        stillRunning = List.copyOf(stillRunning);
    }

    /** Whether every task of the module finished within the bound. */
    public boolean isClean() {
        return stillRunning.isEmpty();
    }
}

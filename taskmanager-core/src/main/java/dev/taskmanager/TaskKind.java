package dev.taskmanager;

import java.util.Locale;

/** Whether a task is tracked by this process ({@link #NODE}) or is a cluster-wide operation (SPEC §11). */
public enum TaskKind {
    /** A task tracked by this task manager. */
    NODE,
    /** A cluster-wide operation whose status comes from a {@link ClusterTaskProvider}. */
    CLUSTER;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lowercase name used on the wire: {@code "node"} or {@code "cluster"}. */
    public String wireName() {
        return wireName;
    }
}

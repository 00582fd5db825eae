package dev.taskmanager;

/**
 * What {@link TaskContext#awaitChildren(ChildFailures)} does when a child failed or was aborted.
 */
public enum ChildFailures {
    /**
     * Throw a {@link TaskFailedException} naming the failed children, so that the parent fails too
     * unless it catches it. The default: a parent whose parts failed must not report success.
     */
    FAIL,
    /**
     * Return normally; the body looks at its children itself. For work that tolerates partial
     * failure, or that summarises its children's failures in its own words.
     */
    IGNORE
}

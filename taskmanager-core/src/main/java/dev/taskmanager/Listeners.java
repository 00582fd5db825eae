package dev.taskmanager;

import java.util.Arrays;

/**
 * The registered {@link TaskListener}s, copied on write so that dispatch reads one volatile array and
 * costs nothing when nobody listens. A listener that throws is logged and skipped.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
    private static final TaskListener[] NONE = new TaskListener[0];

    private volatile TaskListener[] listeners = NONE;

    synchronized void add(TaskListener listener) {
        TaskListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = listener;
        listeners = next;
    }

    synchronized boolean remove(TaskListener listener) {
        TaskListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                TaskListener[] next = new TaskListener[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                listeners = next;
                return true;
            }
        }
        return false;
    }

    boolean any() {
        return listeners.length != 0;
    }

    void created(Task task) {
        for (TaskListener listener : listeners) {
            try {
                listener.onCreated(task);
            } catch (RuntimeException e) {
                logFailure(listener, "onCreated", e);
            }
        }
    }

    void started(Task task) {
        for (TaskListener listener : listeners) {
            try {
                listener.onStarted(task);
            } catch (RuntimeException e) {
                logFailure(listener, "onStarted", e);
            }
        }
    }

    void progress(Task task) {
        for (TaskListener listener : listeners) {
            try {
                listener.onProgress(task);
            } catch (RuntimeException e) {
                logFailure(listener, "onProgress", e);
            }
        }
    }

    void finished(TaskStatus status) {
        for (TaskListener listener : listeners) {
            try {
                listener.onFinished(status);
            } catch (RuntimeException e) {
                logFailure(listener, "onFinished", e);
            }
        }
    }

    void unregistered(Task task) {
        for (TaskListener listener : listeners) {
            try {
                listener.onUnregistered(task);
            } catch (RuntimeException e) {
                logFailure(listener, "onUnregistered", e);
            }
        }
    }

    private static void logFailure(TaskListener listener, String method, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Task listener " + listener + " threw from " + method, e);
    }
}

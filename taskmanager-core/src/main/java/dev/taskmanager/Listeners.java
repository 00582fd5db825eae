package dev.taskmanager;

import java.util.Arrays;
import java.util.function.Consumer;

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
        if (any()) {
            dispatch("onCreated", listener -> listener.onCreated(task));
        }
    }

    void started(Task task) {
        if (any()) {
            dispatch("onStarted", listener -> listener.onStarted(task));
        }
    }

    void progress(Task task) {
        if (any()) {
            dispatch("onProgress", listener -> listener.onProgress(task));
        }
    }

    void abortRequested(Task task, AbortRequest request) {
        if (any()) {
            dispatch("onAbortRequested", listener -> listener.onAbortRequested(task, request));
        }
    }

    void stalled(Task task) {
        if (any()) {
            dispatch("onStalled", listener -> listener.onStalled(task));
        }
    }

    void recovered(Task task) {
        if (any()) {
            dispatch("onRecovered", listener -> listener.onRecovered(task));
        }
    }

    void finished(TaskStatus status, boolean started) {
        if (any()) {
            dispatch("onFinished", listener -> listener.onFinished(status, started));
        }
    }

    void unregistered(Task task) {
        if (any()) {
            dispatch("onUnregistered", listener -> listener.onUnregistered(task));
        }
    }

    /** Calls every listener; the callback object is only created when someone listens. */
    private void dispatch(String method, Consumer<TaskListener> call) {
        for (TaskListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Task listener " + listener + " threw from " + method, e);
            }
        }
    }
}

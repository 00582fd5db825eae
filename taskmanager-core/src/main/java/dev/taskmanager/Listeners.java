package dev.taskmanager;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The registered {@link TaskListener}s, copied on write so that dispatch reads one volatile field and
 * costs nothing when nobody listens. A listener that throws is logged and skipped.
 *
 * <p>The finished event comes in two forms (see {@link TaskListener#onFinished(Task, boolean)}). Which
 * one a listener takes is decided once, when it is added, from the methods its class overrides: the
 * handle form if it overrides that, else the snapshot form if it overrides either snapshot method,
 * else none. The task's final snapshot is built only if some listener takes the snapshot form, and
 * then once for all of them.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
    private static final Registered NONE = new Registered(new TaskListener[0], new byte[0]);
    /** The finished forms a listener takes. */
    private static final byte FINISHED_IGNORED = 0;
    private static final byte FINISHED_HANDLE = 1;
    private static final byte FINISHED_SNAPSHOT = 2;

    private volatile Registered registered = NONE;

    /** The listeners, and per listener the form of the finished event it takes. */
    private static final class Registered {
        final TaskListener[] listeners;
        final byte[] finishedForms;

        Registered(TaskListener[] listeners, byte[] finishedForms) {
            this.listeners = listeners;
            this.finishedForms = finishedForms;
        }
    }

    synchronized void add(TaskListener listener) {
        Registered current = registered;
        int n = current.listeners.length;
        TaskListener[] listeners = Arrays.copyOf(current.listeners, n + 1);
        byte[] forms = Arrays.copyOf(current.finishedForms, n + 1);
        listeners[n] = listener;
        forms[n] = finishedForm(listener.getClass());
        registered = new Registered(listeners, forms);
    }

    synchronized boolean remove(TaskListener listener) {
        Registered current = registered;
        TaskListener[] listeners = current.listeners;
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == listener) {
                int n = listeners.length - 1;
                TaskListener[] nextListeners = new TaskListener[n];
                byte[] nextForms = new byte[n];
                System.arraycopy(listeners, 0, nextListeners, 0, i);
                System.arraycopy(listeners, i + 1, nextListeners, i, n - i);
                System.arraycopy(current.finishedForms, 0, nextForms, 0, i);
                System.arraycopy(current.finishedForms, i + 1, nextForms, i, n - i);
                registered = n == 0 ? NONE : new Registered(nextListeners, nextForms);
                return true;
            }
        }
        return false;
    }

    /**
     * The finished form a listener class takes: the handle form if it overrides
     * {@code onFinished(Task, boolean)}, else the snapshot form if it overrides a snapshot method, else
     * none (the interface's defaults would do nothing with it).
     */
    static byte finishedForm(Class<?> type) {
        if (overrides(type, Task.class, boolean.class)) {
            return FINISHED_HANDLE;
        }
        return overrides(type, TaskStatus.class, boolean.class) || overrides(type, TaskStatus.class)
                ? FINISHED_SNAPSHOT : FINISHED_IGNORED;
    }

    private static boolean overrides(Class<?> type, Class<?>... parameters) {
        try {
            return type.getMethod("onFinished", parameters).getDeclaringClass() != TaskListener.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("TaskListener declares onFinished" + Arrays.toString(parameters), e);
        }
    }

    boolean any() {
        return registered.listeners.length != 0;
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

    /**
     * The finished event of {@code task}, whose final state is published. {@code snapshot} is its final
     * snapshot if the caller built one already (for its waiters), else null: it is then built here,
     * once, only if a listener takes the snapshot form.
     */
    void finished(Task task, boolean started, TaskStatus snapshot) {
        Registered r = registered;
        TaskStatus status = snapshot;
        for (int i = 0; i < r.listeners.length; i++) {
            TaskListener listener = r.listeners[i];
            byte form = r.finishedForms[i];
            try {
                if (form == FINISHED_HANDLE) {
                    listener.onFinished(task, started);
                } else if (form == FINISHED_SNAPSHOT) {
                    if (status == null) {
                        status = task.status();
                    }
                    listener.onFinished(status, started);
                }
            } catch (RuntimeException e) {
                threw(listener, "onFinished", e);
            }
        }
    }

    void unregistered(Task task) {
        if (any()) {
            dispatch("onUnregistered", listener -> listener.onUnregistered(task));
        }
    }

    /** Calls every listener; the callback object is only created when someone listens. */
    private void dispatch(String method, Consumer<TaskListener> call) {
        for (TaskListener listener : registered.listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                threw(listener, method, e);
            }
        }
    }

    private static void threw(TaskListener listener, String method, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Task listener " + listener + " threw from " + method, e);
    }
}

package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.UUID;

/**
 * Unregisters one task regardless of its TTL, for {@code DELETE /task_manager_test/test_task}
 * (SPEC §13). The core has no public call for this yet: {@code TaskModule.drain()} would drop every
 * finished task of the module, and nothing else removes a single retained task. Until the core
 * offers one (asked for: {@code TaskManager.unregister(UUID)}, returning whether a complete task was
 * removed), this reaches the engine's own package-private {@code findRegistered} and
 * {@code unregister} reflectively. The server and core share the class path's unnamed module, so no
 * module boundary is crossed; if the engine's methods change, the lookup fails loudly (a 500 naming
 * the missing method, and a failing server test) rather than silently leaving the task registered.
 */
final class Unregistration {
    private static final Method FIND_REGISTERED;
    private static final Method UNREGISTER;
    private static final String FAILURE;

    static {
        Method find = null;
        Method unregister = null;
        String failure = null;
        try {
            find = TaskManager.class.getDeclaredMethod("findRegistered", UUID.class);
            for (Method method : TaskManager.class.getDeclaredMethods()) {
                if (method.getName().equals("unregister") && method.getParameterCount() == 1
                        && !method.getParameterTypes()[0].equals(UUID.class)) {
                    unregister = method;
                }
            }
            if (unregister == null) {
                throw new NoSuchMethodException("TaskManager.unregister(<task>)");
            }
            find.setAccessible(true);
            unregister.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = "the core offers no way to unregister a single task (" + e + ")";
        }
        FIND_REGISTERED = find;
        UNREGISTER = unregister;
        FAILURE = failure;
    }

    private Unregistration() {
    }

    /**
     * Removes the task from the registry if it is still there.
     *
     * @return whether it was removed
     * @throws IllegalStateException if the core's internals cannot be reached
     */
    static boolean unregister(TaskManager manager, UUID id) {
        if (FAILURE != null) {
            throw new IllegalStateException(FAILURE);
        }
        try {
            Optional<?> task = (Optional<?>) FIND_REGISTERED.invoke(manager, id);
            return task.isPresent() && Boolean.TRUE.equals(UNREGISTER.invoke(manager, task.get()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot unregister task " + id, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot unregister task " + id, e.getCause());
        }
    }
}

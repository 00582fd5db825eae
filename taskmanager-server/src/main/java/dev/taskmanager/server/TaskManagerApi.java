package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;

/**
 * The compat REST API as a Jetty {@link Handler}, for a service that already runs its own Jetty 12
 * server: mount it (directly, or inside a {@code ContextHandler} for a path prefix) and the service
 * answers {@code /task_manager/...} like a ScyllaDB node. {@link TaskManagerServer} is this handler
 * on a server of its own.
 *
 * <pre>{@code
 * Handler api = TaskManagerApi.handler(tm, ApiOptions.builder().nodeAddress("10.0.0.5").build());
 * server.setHandler(new Handler.Sequence(api, myOtherHandler));
 * }</pre>
 *
 * <p>The handler answers every path under its namespaces ({@code /task_manager},
 * {@code /task_manager_test} when the test API is on, {@code /openapi.json}, {@code /v2}, {@code /metrics}
 * when {@link ApiOptions.Builder#metrics metrics} are on, the web dashboard's {@code /ui} unless
 * {@link ApiOptions.Builder#dashboard(boolean) turned off}, and the first segment of each extension
 * route), 404 included, and declines everything else so the next handler can take it. It never closes
 * the task manager: the service owns it. Starting it registers listeners on the task manager when the
 * test API or metrics are on; stopping it removes them and answers pending waits with 503.
 */
public final class TaskManagerApi {
    private TaskManagerApi() {
    }

    /**
     * A handler serving the API of {@code taskManager}.
     *
     * @throws IllegalArgumentException if an extension route is malformed or clashes with another route
     */
    public static Handler handler(TaskManager taskManager, ApiOptions options) {
        return new ApiHandler(Objects.requireNonNull(taskManager, "taskManager"),
                Objects.requireNonNull(options, "options"));
    }
}

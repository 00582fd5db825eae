package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What an {@link ExtensionHandler} sees of a request: its path and query parameters, parsed into
 * typed values with the same validation as the compat API, so that an extension's bad input is
 * answered exactly like the built-in endpoints' (400, naming the parameter and the value).
 *
 * <p>Requests carry no body: parameters travel in the query string (SPEC §14.5). Valid for the
 * duration of the handler call only; not thread-safe.
 */
public interface ExtensionRequest {

    /** The HTTP method, upper case. */
    String method();

    /** The decoded path, without a trailing {@code /}. */
    String path();

    /**
     * The value of a {@code {name}} segment of the route's path template.
     *
     * @throws IllegalStateException if the template has no such segment (a bug in the extension, so a 500)
     */
    String pathParam(String name);

    /** The decoded query parameter, if given (possibly empty). */
    Optional<String> query(String name);

    /**
     * The decoded query parameter.
     *
     * @throws ApiException 400 {@code Missing mandatory parameter '<name>'} if it is absent
     */
    String requiredQuery(String name);

    /**
     * A boolean query parameter: {@code true/false/1/0} in any case.
     *
     * @throws ApiException 400 naming the parameter and value if it is not a boolean
     */
    boolean booleanQuery(String name, boolean defaultValue);

    /**
     * A whole-number query parameter within bounds.
     *
     * @throws ApiException 400 naming the parameter, the value and the bounds if it is not a plain
     *                      decimal integer within them
     */
    OptionalLong longQuery(String name, long min, long max);

    /**
     * A UUID query parameter in canonical 8-4-4-4-12 form.
     *
     * @throws ApiException 400 saying what is wrong with the value
     */
    Optional<UUID> uuidQuery(String name);

    /** The task manager the API serves. */
    TaskManager taskManager();
}

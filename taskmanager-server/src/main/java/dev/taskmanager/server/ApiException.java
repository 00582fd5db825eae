package dev.taskmanager.server;

import java.util.Map;

/**
 * An error answered with a given HTTP status and the JSON body of SPEC §12.5,
 * {@code {"message": "<text>", "code": <status>}}. The API's own handlers throw it for every client
 * error; an {@link ExtensionHandler} may throw it too when {@link IllegalArgumentException} (which
 * becomes 400) is not the right status, e.g. 403 for a path outside the allowed roots.
 *
 * <p>It carries no stack trace: it reports a client's mistake, not a bug.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> headers;

    /**
     * @param status  the HTTP status, from 400 to 599
     * @param message the text clients see in {@code message}
     * @throws IllegalArgumentException if the status is not an error status
     */
    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    /** An error answered with extra headers, e.g. {@code Retry-After} on a 503. */
    ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be from 400 to 599, got " + status);
        }
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    /** The HTTP status the error is answered with. */
    public int status() {
        return status;
    }

    /** Headers to send with the error body; usually none. */
    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound() {
        return new ApiException(404, "Not found");
    }

    static ApiException taskNotFound(Object id) {
        return new ApiException(400, "task with id " + id + " not found");
    }

    static ApiException moduleNotFound(String name) {
        return new ApiException(400, "module " + name + " not found");
    }
}

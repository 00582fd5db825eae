package dev.taskmanager.server;

import java.util.Map;

/**
 * An error answered with a given HTTP status. On the compat routes its body is that of SPEC §12.5,
 * {@code {"message": "<text>", "code": <status>}}; on the v2 routes it is an RFC 9457 problem whose
 * {@code detail} is the same text (see {@link Problems}). The API's own handlers throw it for every
 * client error; an {@link ExtensionHandler} may throw it too when {@link IllegalArgumentException}
 * (which becomes 400) is not the right status, e.g. 403 for a path outside the allowed roots.
 *
 * <p>Besides the status and message it may carry, for the problem form only: a problem type (a
 * URI naming what went wrong; none means {@code about:blank}, "see the status"), the offending
 * parameter and its value, and extra members such as the current task of a wait that timed out.
 *
 * <p>It carries no stack trace: it reports a client's mistake, not a bug.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> headers;
    private final String problemType;
    private final String parameter;
    private final String value;
    private final transient Json.Writer members;

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
        this(status, message, headers, null, null, null, null);
    }

    private ApiException(int status, String message, Map<String, String> headers, String problemType,
                         String parameter, String value, Json.Writer members) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be from 400 to 599, got " + status);
        }
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.problemType = problemType;
        this.parameter = parameter;
        this.value = value;
        this.members = members;
    }

    /** The HTTP status the error is answered with. */
    public int status() {
        return status;
    }

    /** Headers to send with the error body; usually none. */
    Map<String, String> headers() {
        return headers;
    }

    /** The problem type URI, or {@code null} for {@code about:blank}. */
    String problemType() {
        return problemType;
    }

    /** The parameter the error is about, or {@code null}. */
    String parameter() {
        return parameter;
    }

    /** The offending value of {@link #parameter()} as given (possibly cut), or {@code null}. */
    String value() {
        return value;
    }

    /** Extra members of the problem object, or {@code null}. */
    Json.Writer members() {
        return members;
    }

    /** This error, of the given problem type. */
    ApiException ofType(String type) {
        return new ApiException(status, getMessage(), headers, type, parameter, value, members);
    }

    /** This error, about the given parameter and its value ({@code null} if the parameter is missing). */
    ApiException about(String name, String given) {
        return new ApiException(status, getMessage(), headers, problemType, name, given, members);
    }

    /** This error, with extra problem members written by {@code writer} (fields of an open object). */
    ApiException withMembers(Json.Writer writer) {
        return new ApiException(status, getMessage(), headers, problemType, parameter, value, writer);
    }

    /** This error with one more header. */
    ApiException withHeader(String name, String headerValue) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, headerValue);
        return new ApiException(status, getMessage(), more, problemType, parameter, value, members);
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

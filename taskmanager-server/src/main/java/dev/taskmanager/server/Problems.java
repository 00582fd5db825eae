package dev.taskmanager.server;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The v2 API's errors: RFC 9457 problem details, {@code application/problem+json}.
 *
 * <pre>{@code
 * {"type": "urn:taskmanager:problem:invalid-parameter", "title": "Invalid parameter", "status": 400,
 *  "detail": "invalid value 'abc' for parameter 'page_size': expected a whole number from 1 to 1000",
 *  "instance": "/v2/tasks", "parameter": "page_size", "value": "abc"}
 * }</pre>
 *
 * <p>{@code type} names what went wrong, for programs to switch on; the types of this API are the
 * constants below, and any other error has {@code about:blank} with the status's reason phrase as
 * {@code title} (RFC 9457 §4.2.1). {@code detail} is the same text the compat API puts in
 * {@code message}. {@code parameter} and {@code value} name the offending input when there is one: a
 * query parameter, a path parameter ({@code task_id}), a header ({@code X-Request-Id}) or a field of
 * the JSON body ({@code ids[3]}); {@code value} is absent for a missing parameter and cut to 80
 * characters. Stateless.
 */
final class Problems {
    static final HttpField CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/problem+json");

    private static final String PREFIX = "urn:taskmanager:problem:";
    /** A query, path or body parameter, or a header, has a bad or missing value. */
    static final String INVALID_PARAMETER = PREFIX + "invalid-parameter";
    /** The request body is not the JSON document the route takes. */
    static final String MALFORMED_BODY = PREFIX + "malformed-body";
    /** No task has the id given. */
    static final String TASK_NOT_FOUND = PREFIX + "task-not-found";
    /** The task is not abortable through the API. */
    static final String NOT_ABORTABLE = PREFIX + "not-abortable";
    /** The task finished before it could be aborted. */
    static final String TASK_FINISHED = PREFIX + "task-finished";
    /** A wait's timeout passed before the tasks finished; the problem carries their current state. */
    static final String WAIT_TIMEOUT = PREFIX + "wait-timeout";

    private Problems() {
    }

    /** The {@code title} of a problem type: fixed per type, the reason phrase for {@code about:blank}. */
    static String title(String type, int status) {
        if (type == null) {
            return HttpStatus.getMessage(status);
        }
        switch (type) {
            case INVALID_PARAMETER:
                return "Invalid parameter";
            case MALFORMED_BODY:
                return "Malformed request body";
            case TASK_NOT_FOUND:
                return "Task not found";
            case NOT_ABORTABLE:
                return "Task not abortable";
            case TASK_FINISHED:
                return "Task already finished";
            case WAIT_TIMEOUT:
                return "Wait timed out";
            default:
                return HttpStatus.getMessage(status);
        }
    }

    /**
     * The problem object of {@code error}, answering a request for {@code instance} (the request's
     * path). A 400 without a type is an invalid parameter when it names one.
     */
    static byte[] render(ApiException error, String instance) {
        String type = error.problemType();
        if (type == null && error.status() == 400 && error.parameter() != null) {
            type = INVALID_PARAMETER;
        }
        String problemType = type;
        return Json.render(g -> {
            g.writeStartObject();
            g.writeStringField("type", problemType == null ? "about:blank" : problemType);
            g.writeStringField("title", title(problemType, error.status()));
            g.writeNumberField("status", error.status());
            g.writeStringField("detail", error.getMessage() == null ? "" : error.getMessage());
            if (instance != null) {
                g.writeStringField("instance", instance);
            }
            if (error.parameter() != null) {
                g.writeStringField("parameter", error.parameter());
                if (error.value() != null) {
                    g.writeStringField("value", error.value());
                }
            }
            if (error.members() != null) {
                error.members().write(g);
            }
            g.writeEndObject();
        });
    }
}

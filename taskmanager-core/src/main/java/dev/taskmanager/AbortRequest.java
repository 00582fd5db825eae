package dev.taskmanager;

import java.time.Instant;
import java.util.Objects;

/**
 * Who asked a task to abort, why and when (SPEC §15.3). A task keeps the first request it
 * received; later requests change nothing (SPEC §9.2). An abort that cascades from an ancestor
 * carries the ancestor's request.
 *
 * @param reason      why, free-form; {@code ""} when none was given
 * @param requestedBy who asked, free-form (an HTTP client's request id, a user name,
 *                    {@code "deadline"}); {@code ""} when unknown
 * @param requestedAt when the request was made, on the task manager's wall clock
 */
public record AbortRequest(String reason, String requestedBy, Instant requestedAt) {

    /** Treats a {@code null} reason or requester as {@code ""}; {@code requestedAt} is required. */
    public AbortRequest {
        reason = reason == null ? "" : reason;
        requestedBy = requestedBy == null ? "" : requestedBy;
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}

package dev.taskmanager.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads and drops the body of a request the server refuses (413) before it answers, as nginx's
 * lingering close does. A server that answers and closes while the client is still sending leaves
 * unread bytes in its socket, and the kernel then resets the connection, which can destroy the
 * answer before the client reads it: the client sees a dropped connection instead of the 413.
 * Dropping costs no memory (each chunk is released as it arrives) and no thread (it runs on
 * demand), and it is bounded: past {@link #LIMIT} bytes the server answers at once and closes. A
 * client that waits for {@code 100 Continue} before sending is answered at once: it sent nothing.
 */
final class RefusedBody {
    /** The most a refused body is read for; a client that sends more gets the answer without it. */
    static final long LIMIT = 1 << 20;

    private RefusedBody() {
    }

    /**
     * Whether the client sends its body only once told to ({@code Expect: 100-continue}, as curl does
     * for large bodies): it is refused at once, since reading would ask for the body it need not send.
     */
    static boolean awaitsContinue(Request request) {
        return request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    }

    /**
     * Drops the rest of the request's body, at most {@link #LIMIT} bytes of it, then runs
     * {@code answer} (once, on whichever thread saw the end).
     */
    static void discardThen(Request request, Runnable answer) {
        discard(request, LIMIT, answer);
    }

    private static void discard(Request request, long budget, Runnable answer) {
        long left = budget;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                long remaining = left;
                request.demand(() -> discard(request, remaining, answer));
                return;
            }
            boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
            left -= chunk.remaining();
            chunk.release();
            if (end || left < 0) {
                answer.run();
                return;
            }
        }
    }
}

package dev.taskmanager.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the errors Jetty produces itself look like the API's own (SPEC §12.5): a path outside the
 * API (404 {@code Not found}), a request line or headers over the limits (414, 431), a malformed
 * request (400), an ambiguous URI, an HTTP version other than 1.0 or 1.1 (400 rather than 505, so that
 * no client input is ever answered 5xx). Every body is {@code {"message": "...", "code": N}}, never an
 * HTML page. Installed on the standalone {@link TaskManagerServer}; a service embedding the handler
 * keeps its own error handler.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object attribute = request.getAttribute(ERROR_STATUS);
        if (attribute instanceof Integer) {
            status = (Integer) attribute;
        }
        if (status < 400) {
            status = 500;
        }
        Object message = request.getAttribute(ERROR_MESSAGE);
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // A version we do not speak is malformed input: answered 400 so that no client input ever
            // gets a 5xx (a deliberate departure from RFC 9110's 505).
            message = "unsupported HTTP version; use HTTP/1.1";
            status = 400;
        }
        response.setStatus(status);
        response.getHeaders().put(Exchange.JSON);
        response.write(true, ByteBuffer.wrap(Json.error(status, message(status, message))), callback);
        return true;
    }

    private static String message(int status, Object message) {
        if (status == 404) {
            return "Not found";
        }
        String reason = HttpStatus.getMessage(status);
        String text = message == null ? "" : message.toString();
        return text.isEmpty() || text.equals(reason) ? reason : reason + ": " + text;
    }
}

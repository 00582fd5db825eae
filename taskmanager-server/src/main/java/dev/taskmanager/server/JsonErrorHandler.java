package dev.taskmanager.server;

import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the errors Jetty produces itself look like the API's own (SPEC §12.5): a path outside the
 * API (404 {@code Not found}), a request line or headers over the limits (414, 431), a malformed
 * request (400), an ambiguous URI, an HTTP version other than 1.0 or 1.1 (400 rather than 505, so that
 * no client input is ever answered 5xx). Every body is {@code {"message": "...", "code": N}}, or an
 * RFC 9457 problem under {@code /v2} ({@link Problems}), never an HTML page. Installed on the standalone {@link TaskManagerServer}; a service embedding the handler
 * keeps its own error handler.
 *
 * <p>A path Jetty refuses before routing (an encoded control character or separator) is described
 * like any other bad parameter, naming the route's parameter where the path has a route's shape
 * ({@code invalid value '%00' for parameter 'task_id'}). Every answer but a 404 says
 * {@code Connection: close}: Jetty closes the connection after a request it could not route, and a
 * keep-alive client must know not to send its next request on it (issue 11).
 */
final class JsonErrorHandler extends ErrorHandler {
    /** The path Jetty gives a request whose request line it could not parse. */
    private static final String BAD_MESSAGE_PATH = "/badMessage";

    private final Router router;

    JsonErrorHandler(Router router) {
        this.router = router;
    }

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
        String text = message(status, message);
        String[] parameter = new String[1];
        if (status == 400) {
            text = describeBadRequest(request, message, text, parameter);
        }
        if (status != 404) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        HttpURI uri = request.getHttpURI();
        String path = uri == null ? null : uri.getPath();
        Router.ErrorStyle style = path == null ? Router.ErrorStyle.COMPAT : router.styleOf(path);
        ApiException error = new ApiException(status, text);
        if (parameter[0] != null) {
            error = error.about(parameter[0], null);
        }
        Exchange.writeError(response, callback, error, style, null);
        return true;
    }

    /**
     * A 400 Jetty answered by itself, described like the API's own: the parameter or path segment it
     * refused where the path survived the refusal; where the parser gave up on the request line
     * itself (an encoded NUL or a malformed %-escape), Jetty keeps neither the path nor a reason, so
     * the message says what to look for.
     */
    private String describeBadRequest(Request request, Object jettyMessage, String fallback, String[] parameter) {
        String reason = jettyMessage == null ? "" : jettyMessage.toString();
        boolean noReason = reason.isEmpty() || reason.equals(HttpStatus.getMessage(400));
        HttpURI uri = request.getHttpURI();
        String path = uri == null ? null : uri.getPath();
        if (path == null || path.equals(BAD_MESSAGE_PATH)) {
            return noReason ? "Bad Request: the request line could not be parsed; look for an encoded NUL (%00) "
                    + "or a malformed %-escape in the path" : fallback;
        }
        String refused = router.describeRefusedPath(path, parameter);
        if (refused == null) {
            return fallback;
        }
        return refused + ": " + (noReason ? "the server refuses this in a URI path" : reason.toLowerCase(Locale.ROOT));
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

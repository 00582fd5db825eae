package dev.taskmanager.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Sends the CLI's requests to one server and turns every way they can fail into a
 * {@link CliException} with exit code 4: a non-2xx answer ({@link RequestFailedException}, with
 * the server's {@code message}), no connection (one line naming {@code host:port}), or a body
 * that is not the JSON the command needs.
 *
 * <p>Requests follow SPEC §14.5: parameters travel in the query string, there is never a body.
 * Path segments and parameter values are percent-encoded but otherwise sent exactly as typed; the
 * CLI never validates ids. HTTP/1.1, a 5 s connect timeout and no request timeout, so that
 * {@code wait} without {@code --timeout} can wait as long as the task runs.
 *
 * <p>Used by one thread at a time.
 */
final class RestClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String authority;

    RestClient(String host, int port) {
        this.authority = uriHost(host) + ":" + port;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code /task_manager/<segment>/<segment>...}, each segment percent-encoded. */
    static String path(String... segments) {
        StringBuilder sb = new StringBuilder("/task_manager");
        for (String segment : segments) {
            sb.append('/').append(encode(segment));
        }
        return sb.toString();
    }

    /** GET returning the parsed body. */
    Json get(String path, Map<String, String> params) {
        byte[] body = send("GET", path, params);
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            return JsonParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.REQUEST_FAILED, "error: GET " + path
                    + " returned a body that is not JSON (" + e.getMessage() + "): "
                    + abbreviate(text));
        }
    }

    /** GET of something that must be a JSON array (a list of modules, tasks or statuses). */
    Json.Arr getArray(String path, Map<String, String> params) {
        Json value = get(path, params);
        if (value instanceof Json.Arr array) {
            return array;
        }
        throw unexpected(path, value, "an array");
    }

    /** GET of something that must be a JSON object (a status). */
    Json.Obj getObject(String path, Map<String, String> params) {
        Json value = get(path, params);
        if (value instanceof Json.Obj object) {
            return object;
        }
        throw unexpected(path, value, "an object");
    }

    /** POST without a body; whatever the server answers on success is ignored. */
    void post(String path, Map<String, String> params) {
        send("POST", path, params);
    }

    private byte[] send(String method, String path, Map<String, String> params) {
        URI uri = URI.create("http://" + authority + path + query(params));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (method.equals("GET")) {
            request.GET();
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(CliException.REQUEST_FAILED,
                    "error: cannot connect to " + authority + ": " + reason(e));
        } catch (IOException e) {
            throw new CliException(CliException.REQUEST_FAILED, "error executing " + method
                    + " request to " + path + " on " + authority + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REQUEST_FAILED, "error executing " + method
                    + " request to " + path + ": interrupted");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new RequestFailedException(method, path, params, status,
                    serverMessage(response.body()));
        }
        return response.body();
    }

    /** The {@code message} of an error body (SPEC §12.5), or the whole body if it has none. */
    private static String serverMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            if (JsonParser.parse(text) instanceof Json.Obj error && error.get("message") != null) {
                return Cells.text(error.get("message"));
            }
        } catch (IllegalArgumentException notJson) {
            // fall through: print what the server sent
        }
        return text;
    }

    private static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringJoiner query = new StringJoiner("&", "?", "");
        params.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        return query.toString();
    }

    /**
     * Percent-encodes everything but RFC 3986's unreserved characters, so that any id or value
     * reaches the server byte for byte (spaces as {@code %20}, never {@code +}).
     */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The host as it goes into a URL: IPv6 literals get their brackets. */
    static String uriHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The most specific message in the cause chain (the JDK often wraps the useful one). */
    private static String reason(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        return reason != null ? reason : e.getClass().getSimpleName();
    }

    private static CliException unexpected(String path, Json value, String expected) {
        return new CliException(CliException.REQUEST_FAILED, "error: GET " + path + " returned "
                + abbreviate(value.toJsonText()) + " where " + expected + " was expected");
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}

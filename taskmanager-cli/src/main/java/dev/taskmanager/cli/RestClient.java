package dev.taskmanager.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
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
 * <p>Requests follow SPEC §14.5: parameters travel in the query string, there is never a body
 * (a POST says {@code Content-Length: 0}). Path segments and parameter values are
 * percent-encoded but otherwise sent exactly as typed; the CLI never validates ids. HTTP/1.1, no
 * proxy, no redirects, a 5 s connect timeout and by default no read timeout, so that {@code wait}
 * without {@code --timeout} can wait as long as the task runs ({@link FilesCli}, whose requests
 * are answered at once, sets one).
 *
 * <p><b>Why {@link HttpURLConnection} and not {@code java.net.http.HttpClient}.</b> Measured on
 * JDK 17, one {@code tasks modules} took about 0.75 s of wall time with {@code HttpClient} and
 * 0.12 s with this class. Two costs, both paid once per process, which for a command line is
 * every time: building an {@code HttpClient} initialises its SSL context and loads about twice as
 * many classes (~250 ms); and its selector thread sits in a native {@code epoll_wait} that JDK 17
 * cannot stop ({@code HttpClient.close()} arrived in 21), and at exit the VM waits up to 300 ms
 * for threads in native code to block. The CLI sends a handful of plain HTTP/1.1 requests, one at
 * a time, which is exactly what this class does well. Streaming mode is used for POSTs so that a
 * failed POST is never silently re-sent.
 *
 * <p>Used by one thread at a time.
 */
final class RestClient {

    private static final int CONNECT_TIMEOUT_MILLIS = (int) Duration.ofSeconds(5).toMillis();

    private final String authority;
    private final int readTimeoutMillis;

    /** A client with no read timeout: an answer may take as long as the server needs. */
    RestClient(String host, int port) {
        this(host, port, Duration.ZERO);
    }

    /**
     * A client that gives up on an answer after {@code readTimeout} without data (a failed
     * request, exit 4); {@link Duration#ZERO} waits forever.
     */
    RestClient(String host, int port, Duration readTimeout) {
        this.authority = uriHost(host) + ":" + port;
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
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
            return JsonReader.parse(text);
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

    /**
     * POST without a body whose answer must be one JSON string (the files routes answer the id of
     * the task they started), returned unescaped. Anything else, JSON or not, fails quoting the
     * body as it was sent.
     */
    String postForString(String path, Map<String, String> params) {
        String text = new String(send("POST", path, params), StandardCharsets.UTF_8);
        Json value;
        try {
            value = JsonReader.parse(text);
        } catch (IllegalArgumentException notJson) {
            value = null;
        }
        if (value instanceof Json.Str string) {
            return string.value();
        }
        throw new CliException(CliException.REQUEST_FAILED, "error: POST " + path + " returned "
                + abbreviate(text) + " where a JSON string was expected");
    }

    private byte[] send(String method, String path, Map<String, String> params) {
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            URI uri = URI.create("http://" + authority + path + query(params));
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            if (method.equals("POST")) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
            }
            connection.connect();
            connected = true;
            if (method.equals("POST")) {
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            if (status < 200 || status > 299) {
                throw new RequestFailedException(method, path, params, status,
                        serverMessage(readAll(connection.getErrorStream())));
            }
            return readAll(connection.getInputStream());
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw cannotConnect(e);
        } catch (SocketTimeoutException e) {
            if (!connected) {
                throw cannotConnect(e);
            }
            throw failed(method, path, e);
        } catch (IOException e) {
            throw failed(method, path, e);
        } finally {
            if (connection != null && !connected) {
                connection.disconnect();
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private CliException cannotConnect(IOException e) {
        String reason = e instanceof UnknownHostException ? "unknown host" : reason(e);
        return new CliException(CliException.REQUEST_FAILED,
                "error: cannot connect to " + authority + ": " + reason);
    }

    private CliException failed(String method, String path, IOException e) {
        return new CliException(CliException.REQUEST_FAILED, "error executing " + method
                + " request to " + path + " on " + authority + ": " + reason(e));
    }

    /** The {@code message} of an error body (SPEC §12.5), or the whole body if it has none. */
    private static String serverMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            if (JsonReader.parse(text) instanceof Json.Obj error && error.get("message") != null) {
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

package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One request in flight: the Jetty request, response and completion callback, plus the parsed path
 * and query parameters. Every answer goes through here, so that every response is completed exactly
 * once, asynchronously, through the callback.
 *
 * <p>Used by one thread at a time (the one handling the request, or the one completing a wait).
 */
final class Exchange implements ExtensionRequest {
    static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");

    final Request request;
    final Response response;
    final Callback callback;
    private final String path;
    private final Map<String, String> pathParams;
    private final ApiContext context;
    private final Router.ErrorStyle style;
    private Params params;
    private byte[] body;

    Exchange(Request request, Response response, Callback callback, String path, Map<String, String> pathParams,
             ApiContext context, Router.ErrorStyle style) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.pathParams = pathParams;
        this.context = context;
        this.style = style;
    }

    ApiContext context() {
        return context;
    }

    /** The query parameters, parsed on first use (a malformed query is a 400 only where it is read). */
    Params params() {
        if (params == null) {
            params = Params.parse(request.getHttpURI().getQuery());
        }
        return params;
    }

    /**
     * The query parameters of a v2 route, refusing any not in {@code allowed} and any given twice
     * (v2 routes that take repeatable parameters use {@link #v2Params(Set, Set)}).
     */
    QueryParams v2Params(Set<String> allowed) {
        return v2Params(allowed, Set.of());
    }

    /** The query parameters of a v2 route, of which those in {@code repeatable} may be repeated. */
    QueryParams v2Params(Set<String> allowed, Set<String> repeatable) {
        return QueryParams.parse(request.getHttpURI().getQuery()).check(allowed, repeatable);
    }

    /** The task id in the path, strictly parsed. */
    UUID taskIdParam() {
        return Params.parseUuid("task_id", pathParam("task_id"));
    }

    /** How this request's errors are written. */
    Router.ErrorStyle style() {
        return style;
    }

    /**
     * The request body, read whole before the action ran (routes that take one); empty when the
     * request had none. Reading it means the connection holds nothing more of this request, which
     * lets a pending wait probe the connection for a vanished client ({@link Waiters}).
     */
    byte[] body() {
        return body == null ? new byte[0] : body;
    }

    void body(byte[] bytes) {
        this.body = bytes;
    }

    /** Whether the body, if any, was read whole. */
    boolean bodyConsumed() {
        return body != null;
    }

    // ---------------------------------------------------------------- answers

    /** 200 with a small JSON body rendered in memory. */
    void sendJson(Json.Writer writer) {
        send(200, Json.render(writer));
    }

    /** 200 with an empty body, as the compat API's actions answer. */
    void sendEmpty() {
        response.setStatus(200);
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    }

    /** The error in this route's style: SPEC §12.5's body, or an RFC 9457 problem. */
    void sendError(ApiException error) {
        writeError(response, callback, error, style, path);
    }

    /**
     * Answers {@code error} in {@code style}: the compat body of SPEC §12.5, or a problem
     * ({@link Problems}) about {@code instance}, with the error's headers.
     */
    static void writeError(Response response, Callback callback, ApiException error, Router.ErrorStyle style,
                           String instance) {
        response.setStatus(error.status());
        error.headers().forEach(response.getHeaders()::put);
        byte[] bytes;
        if (style == Router.ErrorStyle.PROBLEM) {
            response.getHeaders().put(Problems.CONTENT_TYPE);
            bytes = Problems.render(error, instance);
        } else {
            response.getHeaders().put(JSON);
            bytes = Json.error(error.status(), error.getMessage());
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    void send(int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * 200 with a JSON body that may be large, written as it is generated with at most one chunk in
     * memory ({@link StreamedBody}); past one chunk it needs one of {@code permits}, else the answer
     * is a 503 (thrown as {@link ApiException} before anything is sent). Blocking: call only from a
     * route marked blocking.
     */
    void streamJson(RenderPermits permits, Json.Writer writer) throws IOException {
        response.setStatus(200);
        response.getHeaders().put(JSON);
        StreamedBody body = new StreamedBody(this, permits);
        JsonGenerator generator = Json.generator(body);
        boolean ended = false;
        try {
            writer.write(generator);
            generator.close();
            body.end();
            ended = true;
        } finally {
            if (!ended) {
                body.abandon();
                closeQuietly(generator);
            }
        }
    }

    private static void closeQuietly(JsonGenerator generator) {
        try {
            generator.close(); // returns its buffers; the abandoned body drops what it writes
        } catch (IOException | RuntimeException e) {
            // already failing
        }
    }

    // ---------------------------------------------------------------- ExtensionRequest

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no path parameter {" + name + "}");
        }
        return value;
    }

    @Override
    public Optional<String> query(String name) {
        return params().get(name);
    }

    @Override
    public String requiredQuery(String name) {
        return params().require(name);
    }

    @Override
    public boolean booleanQuery(String name, boolean defaultValue) {
        return params().bool(name).orElse(defaultValue);
    }

    @Override
    public OptionalLong longQuery(String name, long min, long max) {
        return params().wholeNumber(name, min, max);
    }

    @Override
    public Optional<UUID> uuidQuery(String name) {
        return params().uuid(name);
    }

    @Override
    public TaskManager taskManager() {
        return context.taskManager();
    }
}

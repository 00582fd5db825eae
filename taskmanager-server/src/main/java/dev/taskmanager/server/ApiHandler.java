package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.micrometer.EventStreamMetrics;
import dev.taskmanager.micrometer.TaskManagerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The API's one Jetty handler: routes the request, runs the route's action and maps whatever it
 * throws to an error answer in the route's style: the body of SPEC §12.5 on the compat routes, an
 * RFC 9457 problem on the v2 routes ({@link Router.ErrorStyle}). This is the single exception mapper:
 * {@link ApiException} keeps its status, anything else is a bug, logged and answered 500 with its
 * type and message. A known path with a wrong method is a 404 in the compat style and a 405 with
 * {@code Allow} in the problem style.
 *
 * <p><b>Threading.</b> It declares itself non-blocking, so Jetty may call it on the thread that
 * parsed the request. Most actions are non-blocking (a registry lookup and a small in-memory
 * render, written asynchronously) and run right there; actions that may block (a streamed list,
 * a module stop, extensions) are marked blocking and handed to Jetty's thread pool.
 * Waits hold no thread at all ({@link Waiters}), nor does reading a v2 request's body.
 *
 * <p>{@code GET /v2/events} is served by the {@link EventStream}, which holds no thread per client either.
 *
 * <p><b>Access.</b> Before routing, every request in the API's namespaces passes the
 * {@link AccessPolicy}: allowed {@code Host}, no cross-origin write, the bearer token if one is set.
 * The dashboard's files under {@code /ui/} ({@link Dashboard}) pass the first two only.
 *
 * <p><b>Metrics.</b> With a registry in its options it serves {@code GET /metrics}
 * ({@link MetricsRoute}) and, while started, keeps the task manager's meters bound to it
 * ({@link TaskManagerMetrics}) and the event stream's ({@link EventStreamMetrics}: clients connected and
 * dropped). Every routed request carries its route's template in a request
 * attribute, the {@code uri} tag of the request timer ({@link RouteTags}).
 *
 * <p><b>Limits.</b> A request that declares a body of more than {@value #MAX_BODY_BYTES} bytes is
 * answered 413 without parsing it (its bytes are dropped first, up to {@link RefusedBody#LIMIT}, so
 * that the answer reaches the client). Routes that take a body (three v2 routes) read it whole before
 * their action runs, asynchronously, and answer 413 past the same limit however it is framed and
 * 415 for a declared type that is not JSON; other routes ignore a small body. URI and header limits
 * are the connector's ({@link TaskManagerServer}).
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final String OPENAPI_PATH = "/openapi.json";

    private final ApiContext context;
    private final Router router = new Router();
    private final Waiters waiters;
    private final EventStream events;
    private final TestApi testApi;
    private final byte[] openApi;
    private final AccessPolicy access;
    private final TaskManager taskManager;
    private final PrometheusMeterRegistry metrics;
    private TaskManagerMetrics taskMetrics;
    private EventStreamMetrics eventMetrics;
    private final Dashboard dashboard;
    private final boolean servesRoot;

    ApiHandler(TaskManager taskManager, ApiOptions options) {
        this(taskManager, options, false);
    }

    /**
     * @param servesRoot whether {@code /} redirects to the dashboard: only on a server of its own
     *                   ({@link TaskManagerServer}), since a service that mounts the handler owns its {@code /}
     */
    ApiHandler(TaskManager taskManager, ApiOptions options, boolean servesRoot) {
        this.taskManager = taskManager;
        this.metrics = options.metrics();
        this.context = new ApiContext(taskManager, options.nodeAddress(),
                new RenderPermits(options.maxConcurrentListings()));
        this.waiters = new Waiters(options.nodeAddress());
        new CompatRoutes(context, waiters, options.taskSources()).addTo(router);
        PageTokens tokens = options.pageTokenKey() != null ? new PageTokens(options.pageTokenKey())
                : PageTokens.withRandomKey();
        new V2Routes(context, waiters, options.taskSources(), tokens).addTo(router);
        this.events = new EventStream(taskManager, options.nodeAddress(), options.eventSettings());
        events.addTo(router);
        this.testApi = options.testApiEnabled() ? new TestApi(context) : null;
        if (testApi != null) {
            testApi.addTo(router);
        }
        this.openApi = OpenApi.document(testApi != null, options.openApiFragments());
        this.access = options.accessPolicy();
        this.dashboard = options.dashboardEnabled() ? Dashboard.load() : null;
        this.servesRoot = servesRoot && dashboard != null;
        router.add("GET", OPENAPI_PATH, false, ex -> ex.send(200, openApi));
        if (metrics != null) {
            new MetricsRoute(metrics).addTo(router);
        }
        for (ApiOptions.ExtensionRoute route : options.routes()) {
            router.add(route.method(), route.path(), true, extension(route.handler()));
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (dashboard != null && (Dashboard.claims(path) || (servesRoot && path.equals("/") && isRead(request)))) {
            serveDashboard(request, response, callback, path);
            return true;
        }
        Router.Match match = router.find(request.getMethod(), path);
        if (match == null && !router.claims(path)) {
            return false;
        }
        Router.ErrorStyle style = match != null ? match.style() : router.styleOf(path);
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (match != null && match.methodAllowed()) {
            request.setAttribute(RouteTags.ROUTE_ATTRIBUTE, match.route().template());
        }
        try {
            access.check(request);
        } catch (ApiException refused) {
            Exchange.writeError(response, callback, refused, style, trimmed);
            return true;
        }
        if (match == null || (!match.methodAllowed() && style == Router.ErrorStyle.COMPAT)) {
            ApiException notFound = style == Router.ErrorStyle.COMPAT ? ApiException.notFound()
                    : new ApiException(404, "no resource at " + Params.echo(trimmed) + "; the routes are listed in "
                            + OPENAPI_PATH);
            Exchange.writeError(response, callback, notFound, style, trimmed);
            return true;
        }
        if (!match.methodAllowed()) {
            String allow = String.join(", ", match.allowed());
            Exchange.writeError(response, callback, new ApiException(405, "method " + request.getMethod()
                    + " is not allowed on " + Params.echo(trimmed) + "; allowed: " + allow)
                    .withHeader("Allow", allow), style, trimmed);
            return true;
        }
        Router.Route route = match.route();
        long declaredBody = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declaredBody > MAX_BODY_BYTES) {
            ApiException error = tooLarge(route, declaredBody + " bytes");
            if (declaredBody > RefusedBody.LIMIT || RefusedBody.awaitsContinue(request)) {
                Exchange.writeError(response, callback, error, style, trimmed);
            } else {
                RefusedBody.discardThen(request, () -> Exchange.writeError(response, callback, error, style, trimmed));
            }
            return true;
        }
        Exchange ex = new Exchange(request, response, callback, trimmed, match.pathParams(), context, style);
        if (route.readsBody()) {
            readBodyThenRun(route, ex);
        } else {
            dispatch(route, ex);
        }
        return true;
    }

    private static boolean isRead(Request request) {
        return request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    }

    /** The dashboard's files (no token needed: they hold no data) and the redirect from {@code /}. */
    private void serveDashboard(Request request, Response response, Callback callback, String path) {
        try {
            access.checkWithoutToken(request);
        } catch (ApiException refused) {
            Exchange.writeError(response, callback, refused, Router.ErrorStyle.COMPAT, path);
            return;
        }
        if (path.equals("/")) {
            Dashboard.redirectRoot(request, response, callback);
        } else {
            dashboard.handle(request, response, callback, path);
        }
    }

    private static ApiException tooLarge(Router.Route route, String size) {
        return new ApiException(413, "request body too large: " + size + ", the limit is " + MAX_BODY_BYTES
                + (route.readsBody() ? " bytes" : "; parameters go in the query string"));
    }

    /**
     * Reads the whole body (at most {@value #MAX_BODY_BYTES} bytes, however it is framed) without
     * holding a thread, then runs the route. A body that is not JSON by its declared type is a 415.
     */
    private void readBodyThenRun(Router.Route route, Exchange ex) {
        String type = ex.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        Content.Source.asByteArrayAsync(ex.request, MAX_BODY_BYTES).whenComplete((bytes, failure) -> {
            if (failure != null) {
                if (ex.request.getConnectionMetaData().getConnection().getEndPoint().isOpen()
                        && !(failure instanceof IOException)) {
                    ApiException error = tooLarge(route, "more than " + MAX_BODY_BYTES + " bytes");
                    RefusedBody.discardThen(ex.request, () -> answer(ex, error));
                } else {
                    ex.callback.failed(failure);
                }
                return;
            }
            ex.body(bytes);
            if (bytes.length > 0 && type != null && !isJson(type)) {
                answer(ex, new ApiException(415, "the request body must be JSON (Content-Type application/json), "
                        + "got Content-Type '" + Params.echo(type) + "'").about("Content-Type", Params.echo(type)));
                return;
            }
            dispatch(route, ex);
        });
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private void dispatch(Router.Route route, Exchange ex) {
        if (route.blocking()) {
            try {
                ex.request.getComponents().getExecutor().execute(() -> run(route.action(), ex));
            } catch (RejectedExecutionException e) {
                answer(ex, new ApiException(503, "the server is overloaded or stopping"));
            }
        } else {
            run(route.action(), ex);
        }
    }

    /** Runs an action and answers whatever it throws; the one exception mapper. */
    static void run(Router.Action action, Exchange ex) {
        try {
            action.handle(ex);
        } catch (ApiException e) {
            answer(ex, e);
        } catch (IOException e) {
            if (!ex.response.isCommitted()) {
                unexpected(ex, e);
            } else {
                // The client went away in the middle of a streamed answer: its loss, not our bug.
                LOG.log(System.Logger.Level.DEBUG, "Client gone while streaming " + ex.path() + ": " + e);
                ex.callback.failed(e);
            }
        } catch (Throwable t) {
            unexpected(ex, t);
        }
    }

    /** A bug: logged with its stack trace and answered 500 with its type and message. */
    private static void unexpected(Exchange ex, Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "Unexpected failure answering " + ex.method() + " "
                + ex.request.getHttpURI().getPathQuery(), t);
        answer(ex, new ApiException(500, t.getClass().getName() + ": " + t.getMessage()));
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
    }

    private static void answer(Exchange ex, ApiException error) {
        if (ex.response.isCommitted()) {
            // Part of a streamed body is out: too late for an error body; cut the connection instead.
            ex.callback.failed(error);
        } else {
            ex.sendError(error);
        }
    }

    private Router.Action extension(ExtensionHandler handler) {
        return ex -> {
            Object result;
            try {
                result = handler.handle(ex);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage() != null ? e.getMessage() : e.toString());
            }
            if (result == null) {
                ex.sendEmpty();
            } else {
                ex.sendJson(g -> Json.writeValue(g, result, context.nodeAddress()));
            }
        };
    }

    @Override
    protected void doStart() throws Exception {
        if (testApi != null) {
            testApi.start();
        }
        events.start(getServer().getScheduler());
        if (metrics != null) {
            taskMetrics = TaskManagerMetrics.builder(taskManager).build();
            taskMetrics.bindTo(metrics);
            eventMetrics = new EventStreamMetrics(events);
            eventMetrics.bindTo(metrics);
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        if (taskMetrics != null) {
            taskMetrics.close();
            taskMetrics = null;
            eventMetrics.close();
            eventMetrics = null;
        }
        waiters.close();
        events.close();
        if (testApi != null) {
            testApi.stop();
        }
        super.doStop();
    }

    /** Answers pending waits with 503 and refuses new ones; the first step of a graceful stop. */
    void closeWaiters() {
        waiters.close();
    }

    /** Ends every event stream and stops listening; part of a graceful stop, before the server drains requests. */
    void closeEventStreams() {
        events.close();
    }

    /** Ends every running test task (failed, aborted) so that stopping the manager need not wait for them. */
    void finishTestTasks() {
        if (testApi != null) {
            testApi.finishAll();
        }
    }

    /** The registry served at {@code /metrics}, or {@code null}; where other server parts bind their meters. */
    PrometheusMeterRegistry metrics() {
        return metrics;
    }

    Waiters waiters() {
        return waiters;
    }

    EventStream events() {
        return events;
    }

    Router router() {
        return router;
    }

    RenderPermits renders() {
        return context.renders();
    }
}

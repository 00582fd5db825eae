/**
 * The task manager over HTTP: the ScyllaDB-compatible REST API (SPEC.md §12) and the test API
 * (§13), so that ScyllaDB tooling, {@code nodetool tasks}, {@code curl} and our CLI work unchanged;
 * and beside it the v2 API ({@code docs/api-v2.md}): filters, signed page tokens, waits and aborts
 * with a reason, RFC 9457 problems.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link dev.taskmanager.server.TaskManagerServer}: a standalone server around a
 *       {@link dev.taskmanager.TaskManager} (default {@code 127.0.0.1:10000}).</li>
 *   <li>{@link dev.taskmanager.server.TaskManagerApi#handler}: the same API as a Jetty
 *       {@code Handler} for a service that runs its own Jetty 12 server.</li>
 *   <li>{@link dev.taskmanager.server.ServeCommand}: the {@code serve} command and its flags;
 *       {@link dev.taskmanager.server.ServerOptions} and
 *       {@link dev.taskmanager.server.ServeCommand.Customizer} let the app start the same server with
 *       extra routes.</li>
 *   <li>{@link dev.taskmanager.server.ExtensionHandler}: endpoints added by other modules, e.g.
 *       {@code POST /files/manifest?path=...}, with typed parameters
 *       ({@link dev.taskmanager.server.ExtensionRequest}) and the same error mapping
 *       ({@link dev.taskmanager.server.ApiException}).</li>
 * </ul>
 *
 * <h2>The OpenAPI document</h2>
 * {@code GET /openapi.json} serves an OpenAPI 3.1 document of exactly the routes this server
 * answers, assembled once by {@code OpenApi}: the resource {@code openapi.json} (v2 and compat),
 * {@code openapi-test-api.json} when the test API is on, and the fragments extension routes bring
 * ({@link dev.taskmanager.server.ApiOptions.Builder#openApi}). A test validates every route's real
 * answers against it with a JSON Schema 2020-12 validator.
 *
 * <h2>The v2 API (issue 9)</h2>
 * {@code V2Routes} (the routes), {@link dev.taskmanager.server.TaskJson} (the one writer of a task's
 * v2 JSON, public for the event stream and other readers), {@code ListRequest} (the list's filters
 * into the core's {@code TaskQuery}), {@code TaskList} (pages from the core's cursor merged with
 * other {@link dev.taskmanager.server.TaskSource}s such as a history store), {@code PageTokens}
 * (opaque, HMAC-signed, versioned), {@code QueryParams} (strict v2 parameters), {@code JsonBody}
 * (bounded request bodies with jackson-core), {@code Problems} (RFC 9457). Errors of the v2 routes are
 * written as problems by the same mapper as the compat ones ({@code Router.ErrorStyle}).
 *
 * <h2>The web dashboard (issue 10)</h2>
 * {@code Dashboard} serves the page at {@code /ui/} ({@code docs/dashboard.md}): plain ES modules and
 * CSS, resources of this jar listed in {@code ui/assets.txt}, held in memory, versioned by digest,
 * under a strict Content-Security-Policy. The page reads the v2 API and the event stream like any
 * client; {@code ApiHandler} hands it {@code /ui/...} after the {@code Host} and cross-origin checks
 * (no token: the files hold no data).
 *
 * <h2>Why Jetty 12 core handlers and jackson-core</h2>
 * The API is a few dozen fixed routes with query parameters and small JSON bodies, and its two hard
 * requirements are a {@code wait_task} that holds no thread per waiter and lists that stream in
 * constant memory. Jetty 12's non-servlet {@code Handler} API gives exactly that with nothing on top:
 * a request is completed whenever its {@code Callback} is (so a wait is a callback parked on a
 * future), Jetty's shared scheduler times waits out, and a blocking output stream or asynchronous
 * writes are a choice per route. No servlet container, no annotation scanning, no reflection-based
 * JSON binding: the runtime is Jetty's four small jars plus jackson-core, the JSON is written field
 * by field in the order the wire format fixes, and the fast routes run on the thread that parsed the
 * request. A framework (Javalin) would add a servlet layer and an object mapper to work around for
 * both requirements.
 *
 * <h2>Layout</h2>
 * Public: the classes named above. Package-private, one job each: {@code ApiHandler} (the Jetty
 * handler and the one exception mapper), {@code Router} (method + path templates),
 * {@code Params} (typed, validated parameters), {@code Json} (rendering of {@code task_status} and
 * {@code task_stats}), {@code CompatRoutes} (§12), {@code Waiters} (asynchronous waits, compat and
 * v2, on one task or many), {@code TestApi} (§13), {@code JsonErrorHandler} (Jetty's own errors as
 * JSON or problems).
 *
 * <h2>Hardening (issue 11)</h2>
 * {@code AccessPolicy} (allowed hosts, cross-origin writes, bearer token), {@code SecretFiles} (token
 * and key files only their owner may read), {@code Tls} (key store or PEM), {@code ConnectionGuard}
 * (request-head time, connections per address), {@code StreamedBody} and {@code RenderPermits}
 * (large answers in bounded chunks, a bounded number at once), {@code StopSignals} (SIGTERM as a
 * graceful stop that exits 0). The operator's view is in {@code docs/security.md} and
 * {@code docs/operations.md}.
 */
package dev.taskmanager.server;

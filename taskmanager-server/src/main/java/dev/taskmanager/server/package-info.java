/**
 * The task manager over HTTP: the ScyllaDB-compatible REST API (SPEC.md §12) and the test API
 * (§13), so that ScyllaDB tooling, {@code nodetool tasks}, {@code curl} and our CLI work unchanged.
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
 * Every endpoint of the compat and test APIs is described by an OpenAPI 3 document served at
 * {@code GET /openapi.json} (the resource {@code dev/taskmanager/server/openapi.json}). Extension
 * routes are added at run time and are not in it.
 *
 * <h2>Why Jetty 12 core handlers and jackson-core</h2>
 * The API is a dozen fixed routes with query parameters and no request bodies, and its two hard
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
 * {@code task_stats}), {@code CompatRoutes} (§12), {@code Waiters} (asynchronous
 * {@code wait_task}), {@code TestApi} (§13), {@code JsonErrorHandler} (Jetty's own errors as JSON).
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

package dev.taskmanager.app;

import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.server.TaskManagerServer;

/**
 * The HTTP face of the files workload, added to the server's API as extension routes:
 *
 * <table>
 *   <caption>Files routes</caption>
 *   <tr><th>route</th><th>parameters</th><th>answer</th></tr>
 *   <tr><td>{@code POST /files/manifest}</td><td>{@code path} (required), {@code output} (optional;
 *       default {@code <data dir>/files/<task id>.sha256}), {@code overwrite} (optional boolean, default
 *       false: an existing output is refused)</td><td>the task id, as a JSON string</td></tr>
 *   <tr><td>{@code POST /files/verify}</td><td>{@code path}, {@code manifest} (both required),
 *       {@code skip_unreadable} (optional boolean, default false: a file that cannot be read fails the
 *       verification; true reports it as {@code skipped: ...})</td>
 *       <td>the task id, as a JSON string</td></tr>
 * </table>
 *
 * <p>The task is a user task of module {@code files}, started before the answer is sent; watch it with
 * the v2 or the compat API. Both routes are described in {@code /openapi.json} by the fragment
 * {@value #OPENAPI_RESOURCE}. A missing parameter, a path outside the allowed directories, a missing directory, a
 * malformed path, an existing output without {@code overwrite=true} or a boolean that is not
 * {@code true/false/1/0} is answered 400 with a message naming the parameter (the workload's
 * {@link IllegalArgumentException}s, which the server maps to 400).
 *
 * <p>{@code taskmanager files} ({@link dev.taskmanager.cli.FilesCli}) spells these paths out itself,
 * since the CLI module depends on nothing; {@code FilesEndToEndTest} keeps the two in step.
 */
final class FilesRoutes {
    static final String MANIFEST = "/files/manifest";
    static final String VERIFY = "/files/verify";

    /** The resource that describes both routes in {@code /openapi.json}. */
    static final String OPENAPI_RESOURCE = "files-openapi.json";

    private FilesRoutes() {
    }

    /** The OpenAPI fragment describing both routes, served with the rest of {@code /openapi.json}. */
    static String openApiFragment() {
        try (java.io.InputStream in = FilesRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the app's resources");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Adds both routes, served by {@code files}. */
    static TaskManagerServer.Builder mount(TaskManagerServer.Builder server, FilesWorkload files) {
        return mount(server, files, files);
    }

    /**
     * Adds both routes, manifests served by {@code manifests} and verifications by {@code verifications}
     * (the demo caps the read rate of manifests only, so that the first run is slow enough to watch).
     */
    static TaskManagerServer.Builder mount(TaskManagerServer.Builder server, FilesWorkload manifests,
                                           FilesWorkload verifications) {
        return server
                .openApi(openApiFragment())
                .route("POST", MANIFEST, request -> manifests.requestManifest(
                        request.query("path").orElse(null), request.query("output").orElse(null),
                        request.booleanQuery("overwrite", false)))
                .route("POST", VERIFY, request -> verifications.requestVerify(
                        request.query("path").orElse(null), request.query("manifest").orElse(null),
                        request.booleanQuery("skip_unreadable", false)));
    }
}

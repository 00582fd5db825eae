package dev.taskmanager.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The web dashboard at {@code /ui/} (issue 10, {@code docs/dashboard.md}): a page of plain ES modules
 * and CSS that reads the v2 API and its event stream. Its files live in this jar (the resources
 * listed in {@value #ASSET_LIST}), are read once when the handler is built, and are served from
 * memory, gzip-compressed for clients that accept it. Nothing is fetched from anywhere else: the page
 * works offline.
 *
 * <ul>
 *   <li>{@code /ui/static/<version>/<file>}: an asset. {@code <version>} is a digest of every asset,
 *       so a new release serves new URLs: assets are cached as {@code immutable} for a year, and an
 *       old version's URL answers 404 instead of stale code.</li>
 *   <li>Any other {@code /ui/...} path, e.g. {@code /ui/tasks/<id>}: the page itself (the app shell),
 *       which routes on its own path, so a deep link opens the task. It is revalidated on every use
 *       ({@code Cache-Control: no-cache} with an {@code ETag}), so an upgrade takes effect on the next
 *       load.</li>
 *   <li>{@code /ui}: a permanent redirect to {@code /ui/}; {@code /}, on the standalone server only,
 *       a temporary one.</li>
 * </ul>
 *
 * <p>Every answer carries a strict Content-Security-Policy ({@value #CONTENT_SECURITY_POLICY}: no
 * inline script or style, no other origin, no framing, Trusted Types enforced, since the page never
 * writes HTML from strings), {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy:
 * no-referrer} and {@code Cross-Origin-Opener-Policy} / {@code -Resource-Policy: same-origin}.
 * Methods other than GET and HEAD are answered 405. The files hold no data, so they are served
 * without the bearer token (the page asks for it, see {@code docs/security.md}); the {@code Host}
 * and cross-origin rules still apply ({@link AccessPolicy#checkWithoutToken}).
 *
 * <p>Immutable once built; thread-safe.
 */
final class Dashboard {
    /** Where the dashboard lives. */
    static final String PREFIX = "/ui";
    /** The resource, beside this class's package, naming every file of the dashboard, one a line. */
    static final String ASSET_LIST = "ui/assets.txt";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'; require-trusted-types-for 'script'; trusted-types 'none'";
    static final String SHELL = "index.html";
    /** In the shell, replaced by the path of the versioned assets, e.g. {@code /ui/static/1a2b3c4d5e6f7a8b}. */
    private static final String STATIC_PLACEHOLDER = "{{static}}";
    /** In the shell, replaced by the dashboard's own path, {@code /ui/} below the context path. */
    private static final String UI_PLACEHOLDER = "{{ui}}";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";

    private static final List<HttpField> SECURITY_HEADERS = List.of(
            new PreEncodedHttpField("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
            new PreEncodedHttpField("Referrer-Policy", "no-referrer"),
            new PreEncodedHttpField("X-Frame-Options", "DENY"),
            new PreEncodedHttpField("Cross-Origin-Opener-Policy", "same-origin"),
            new PreEncodedHttpField("Cross-Origin-Resource-Policy", "same-origin"));

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json");

    private final String version;
    private final Map<String, Asset> assets;
    private final String shellTemplate;
    /** The shell rendered for each context path the handler is mounted under (one, in practice). */
    private final Map<String, Asset> shells = new ConcurrentHashMap<>();

    private Dashboard(String version, Map<String, Asset> assets, String shellTemplate) {
        this.version = version;
        this.assets = assets;
        this.shellTemplate = shellTemplate;
    }

    /**
     * Reads every file listed in {@value #ASSET_LIST} from the class path.
     *
     * @throws IllegalStateException if the list or a file it names is missing (a broken build)
     */
    static Dashboard load() {
        String list = new String(resource(ASSET_LIST), StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        MessageDigest digest = sha256();
        for (String line : list.split("\n")) {
            String name = line.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            byte[] bytes = resource("ui/" + name);
            files.put(name, bytes);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
        }
        if (!files.containsKey(SHELL)) {
            throw new IllegalStateException(ASSET_LIST + " does not list " + SHELL);
        }
        String version = HexFormat.of().formatHex(digest.digest(), 0, 8);
        Map<String, Asset> assets = new LinkedHashMap<>();
        files.forEach((name, bytes) -> {
            if (!name.equals(SHELL)) {
                assets.put(name, Asset.of(name, bytes, IMMUTABLE));
            }
        });
        return new Dashboard(version, Map.copyOf(assets), new String(files.get(SHELL), StandardCharsets.UTF_8));
    }

    /** The digest of the assets that names their URLs; it changes whenever one of them does. */
    String version() {
        return version;
    }

    /** Whether {@code path} (within the handler's context) is the dashboard's. */
    static boolean claims(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** Answers a request for one of the dashboard's paths ({@link #claims}). */
    void handle(Request request, Response response, Callback callback, String path) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            refuse(response, callback, new ApiException(405, "method " + method + " is not allowed on "
                    + Params.echo(path) + "; allowed: GET, HEAD").withHeader("Allow", "GET, HEAD"), path);
            return;
        }
        String context = contextPath(request);
        if (path.equals(PREFIX)) {
            String query = request.getHttpURI().getQuery();
            redirect(response, callback, 301, context + PREFIX + "/" + (query == null ? "" : "?" + query));
            return;
        }
        String staticPrefix = PREFIX + "/static/";
        if (path.startsWith(staticPrefix)) {
            String rest = path.substring(staticPrefix.length());
            int slash = rest.indexOf('/');
            Asset asset = slash < 0 || !rest.substring(0, slash).equals(version) ? null
                    : assets.get(rest.substring(slash + 1));
            if (asset == null) {
                refuse(response, callback, new ApiException(404, "no dashboard file at " + Params.echo(path)
                        + "; this server's files are under " + context + staticPrefix + version + "/"), path);
                return;
            }
            send(request, response, callback, asset);
            return;
        }
        send(request, response, callback, shells.computeIfAbsent(context, this::shell));
    }

    /** A temporary redirect from {@code /} to the dashboard, for the standalone server. */
    static void redirectRoot(Request request, Response response, Callback callback) {
        String query = request.getHttpURI().getQuery();
        redirect(response, callback, 302, contextPath(request) + PREFIX + "/"
                + (query == null ? "" : "?" + query));
    }

    /** Where the handler is mounted: {@code ""} unless inside a {@code ContextHandler}. */
    private static String contextPath(Request request) {
        String context = Request.getContextPath(request);
        return context == null || context.equals("/") ? "" : context;
    }

    private Asset shell(String contextPath) {
        String html = shellTemplate.replace(STATIC_PLACEHOLDER, contextPath + PREFIX + "/static/" + version)
                .replace(UI_PLACEHOLDER, contextPath + PREFIX + "/");
        return Asset.of(SHELL, html.getBytes(StandardCharsets.UTF_8), REVALIDATE);
    }

    private static void send(Request request, Response response, Callback callback, Asset asset) {
        HttpFields.Mutable headers = response.getHeaders();
        SECURITY_HEADERS.forEach(headers::put);
        headers.put(HttpHeader.CONTENT_TYPE, asset.contentType);
        headers.put(HttpHeader.CACHE_CONTROL, asset.cacheControl);
        boolean gzip = asset.gzipped != null && acceptsGzip(request);
        if (asset.gzipped != null) {
            headers.put(HttpHeader.VARY, "Accept-Encoding");
        }
        String etag = gzip ? asset.gzipEtag : asset.etag;
        headers.put(HttpHeader.ETAG, etag);
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return;
        }
        if (gzip) {
            headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        byte[] body = gzip ? asset.gzipped : asset.bytes;
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.setStatus(200);
        response.write(true, request.getMethod().equals("HEAD") ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body),
                callback);
    }

    private static void redirect(Response response, Callback callback, int status, String location) {
        SECURITY_HEADERS.forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, status == 301 ? "max-age=86400" : REVALIDATE);
        response.setStatus(status);
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    }

    private static void refuse(Response response, Callback callback, ApiException error, String path) {
        SECURITY_HEADERS.forEach(response.getHeaders()::put);
        Exchange.writeError(response, callback, error, Router.ErrorStyle.COMPAT, path);
    }

    /** Whether {@code Accept-Encoding} accepts gzip (an explicit {@code q=0} refuses it). */
    static boolean acceptsGzip(Request request) {
        for (String value : request.getHeaders().getCSV(HttpHeader.ACCEPT_ENCODING, false)) {
            String[] parts = value.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("*")) {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].trim().replace(" ", "");
                    if (parameter.equals("q=0") || parameter.matches("q=0\\.0{0,3}")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** Whether an {@code If-None-Match} value names {@code etag} (or is {@code *}). */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + name, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** One file as served: its bytes, their gzip form when smaller, and the headers that go with them. */
    private static final class Asset {
        final byte[] bytes;
        final byte[] gzipped;
        final String contentType;
        final String cacheControl;
        final String etag;
        final String gzipEtag;

        private Asset(byte[] bytes, byte[] gzipped, String contentType, String cacheControl, String etag) {
            this.bytes = bytes;
            this.gzipped = gzipped;
            this.contentType = contentType;
            this.cacheControl = cacheControl;
            this.etag = "\"" + etag + "\"";
            this.gzipEtag = "\"" + etag + "-gz\"";
        }

        static Asset of(String name, byte[] bytes, String cacheControl) {
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            String type = TYPES.get(extension);
            if (type == null) {
                throw new IllegalStateException("the dashboard file " + name + " has no known content type");
            }
            byte[] gzipped = gzip(bytes);
            String etag = HexFormat.of().formatHex(sha256().digest(bytes), 0, 12);
            return new Asset(bytes, gzipped.length < bytes.length ? gzipped : null, type, cacheControl, etag);
        }

        private static byte[] gzip(byte[] bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in memory: cannot happen
            }
            return out.toByteArray();
        }
    }
}

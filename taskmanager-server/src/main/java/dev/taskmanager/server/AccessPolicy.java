package dev.taskmanager.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Who may drive the API (issue 11: any web page could POST to it, and any {@code Host} was
 * accepted). Checked before routing, in this order:
 * <ol>
 *   <li><b>Host</b> (DNS rebinding): when a set of allowed hosts is configured, the {@code Host}
 *       header must name one of them, a loopback address or {@code localhost}; otherwise 421
 *       Misdirected Request. A page that rebinds its own name to 127.0.0.1 still sends its own name.
 *       A request without {@code Host} (HTTP/1.0) passes: browsers always send one.</li>
 *   <li><b>Cross-origin writes</b>: a request with any method but GET or HEAD is refused with 403
 *       when it says {@code Sec-Fetch-Site: cross-site} or {@code same-site}, or carries an
 *       {@code Origin} other than this server's own ({@code scheme://Host}). Browsers send these;
 *       curl, our CLI and ScyllaDB's tools send neither, and pass.</li>
 *   <li><b>Bearer token</b>, when one is configured: {@code Authorization: Bearer <token>}, compared in
 *       constant time (SHA-256 digests of both sides, so not even the length leaks); 401 with
 *       {@code WWW-Authenticate: Bearer} when missing or wrong.</li>
 * </ol>
 * Immutable and thread-safe.
 */
final class AccessPolicy {
    static final String REALM = "taskmanager";

    private final Set<String> allowedHosts;
    private final boolean crossOriginChecks;
    private final byte[] tokenDigest;

    /**
     * @param allowedHosts      lower-case host names or addresses besides the loopback ones; {@code null}
     *                          to accept any {@code Host}
     * @param crossOriginChecks whether to refuse cross-origin writes
     * @param token             the bearer token, or {@code null} for none
     */
    AccessPolicy(Set<String> allowedHosts, boolean crossOriginChecks, String token) {
        this.allowedHosts = allowedHosts == null ? null : Set.copyOf(allowedHosts);
        this.crossOriginChecks = crossOriginChecks;
        this.tokenDigest = token == null ? null : sha256(token);
    }

    boolean requiresToken() {
        return tokenDigest != null;
    }

    /**
     * Lets the request through or throws the answer that refuses it.
     *
     * @throws ApiException 421 for a host not allowed, 403 for a cross-origin write, 401 without the token
     */
    void check(Request request) {
        checkWithoutToken(request);
        if (tokenDigest != null) {
            checkToken(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        }
    }

    /**
     * The {@code Host} and cross-origin rules only: for the dashboard's files ({@link Dashboard}), which
     * hold no data and must load before the page can ask for the token.
     *
     * @throws ApiException 421 for a host not allowed, 403 for a cross-origin write
     */
    void checkWithoutToken(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (allowedHosts != null && host != null && !hostAllowed(hostName(host))) {
            throw new ApiException(421, "host '" + Params.echo(host) + "' is not served here: on a loopback "
                    + "address only localhost, loopback addresses and the allowed hosts (--allowed-hosts) are");
        }
        if (crossOriginChecks && isWrite(request.getMethod())) {
            checkSameOrigin(request, host);
        }
    }

    private boolean hostAllowed(String name) {
        if (name.equals("localhost") || allowedHosts.contains(name)) {
            return true;
        }
        return isLoopbackLiteral(name);
    }

    /** The host part of a Host header, lower case, without port or IPv6 brackets. */
    static String hostName(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(1, close);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** Whether the name is an IP literal of the loopback range (no name is looked up). */
    static boolean isLoopbackLiteral(String name) {
        boolean ipv4 = name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = name.indexOf(':') >= 0 && name.matches("[0-9a-f:.]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress(); // a literal: parsed, not resolved
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean isWrite(String method) {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    private static void checkSameOrigin(Request request, String host) {
        String fetchSite = request.getHeaders().get("Sec-Fetch-Site");
        if (fetchSite != null) {
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (site.equals("cross-site") || site.equals("same-site")) {
                throw new ApiException(403, "cross-origin request refused: Sec-Fetch-Site is '" + Params.echo(fetchSite)
                        + "'; a " + request.getMethod() + " must come from this server's own origin or from a "
                        + "client that is not a browser");
            }
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return;
        }
        String scheme = request.isSecure() ? "https" : "http";
        String own = host == null ? null : scheme + "://" + host.trim().toLowerCase(Locale.ROOT);
        if (own == null || !normalizeOrigin(origin).equals(normalizeOrigin(own))) {
            throw new ApiException(403, "cross-origin request refused: Origin '" + Params.echo(origin)
                    + "' is not this server's origin" + (own == null ? "" : " '" + own + "'") + "; a "
                    + request.getMethod() + " must come from this server's own origin or from a client that is "
                    + "not a browser");
        }
    }

    /** Lower case, without a default port, so that {@code http://h:80} equals {@code http://h}. */
    private static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.startsWith("http://") && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        if (o.startsWith("https://") && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        return o;
    }

    private void checkToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(401, "missing bearer token: send the header 'Authorization: Bearer <token>'",
                    Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String given = space < 0 ? "" : value.substring(space + 1).trim();
        if (!scheme.equalsIgnoreCase("Bearer") || !MessageDigest.isEqual(tokenDigest, sha256(given))) {
            throw new ApiException(401, "invalid bearer token",
                    Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""));
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

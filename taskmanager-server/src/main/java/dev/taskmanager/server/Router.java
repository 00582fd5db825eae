package dev.taskmanager.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a method and a decoded path to a route. A template is a list of segments, each a literal
 * ({@code tasks}, {@code tasks:abort}), a parameter ({@code {task_id}}, matching any one non-empty
 * segment) or a parameter with a literal suffix ({@code {task_id}:abort}, matching a segment that
 * ends with the suffix after a non-empty value: AIP-136 custom methods). A trailing {@code /} is
 * ignored (SPEC §12.1).
 *
 * <p><b>Resolution.</b> The path picks a resource first, the method an action on it second: of the
 * templates that match the path, the most specific one wins (comparing segment by segment from the
 * left, a literal beats a suffixed parameter, which beats a plain parameter), and then the method must
 * be one of that template's. So {@code GET /v2/tasks/<id>:abort} is a wrong method on the abort
 * resource, not a task whose id ends in {@code :abort}. A known path with a wrong method is reported
 * with the methods it allows; the compat API answers it 404 like an unknown path, the v2 API 405.
 *
 * <p>Built once, then read-only: thread-safe for lookups. With a few dozen routes a scan of the
 * routes with the same segment count is as fast as anything cleverer.
 */
final class Router {

    /** What a route does with a request; thrown exceptions are mapped by {@link ApiHandler}. */
    @FunctionalInterface
    interface Action {
        void handle(Exchange exchange) throws Exception;
    }

    /** How a route's errors are written. */
    enum ErrorStyle {
        /** {@code {"message": ..., "code": ...}} (SPEC §12.5); a wrong method is a 404. */
        COMPAT,
        /** RFC 9457 {@code application/problem+json}; a wrong method is a 405 with {@code Allow}. */
        PROBLEM
    }

    /**
     * One endpoint.
     *
     * @param method   upper-case HTTP method
     * @param template the path template, e.g. {@code /task_manager/task_status/{task_id}}
     * @param blocking whether the action may block (a streamed list, an extension): it then runs on
     *                 a pool thread instead of the thread that parsed the request
     * @param style     how its errors are written
     * @param readsBody whether the request body is read (bounded) before the action runs; other routes
     *                  ignore a small body
     * @param action    what to do
     */
    record Route(String method, String template, boolean blocking, ErrorStyle style, boolean readsBody,
                 Action action) {
    }

    /**
     * What a lookup found: a route and the values of its parameters, or (route {@code null}) a
     * resource that exists with other methods.
     *
     * @param route      the route, or {@code null} if the path matched but the method did not
     * @param pathParams the values of the template's parameters
     * @param allowed    the methods the matched path allows, sorted; for the {@code Allow} header
     * @param style      the error style of the matched path
     */
    record Match(Route route, Map<String, String> pathParams, Set<String> allowed, ErrorStyle style) {
        boolean methodAllowed() {
            return route != null;
        }
    }

    private final Map<Integer, List<CompiledRoute>> bySegmentCount = new HashMap<>();
    private final Set<String> namespaces = new LinkedHashSet<>();

    /** Adds a route whose errors have the compat shape and which reads no body. */
    void add(String method, String template, boolean blocking, Action action) {
        add(new Route(method, template, blocking, ErrorStyle.COMPAT, false, action));
    }

    /**
     * Adds a route; its method is taken in upper case.
     *
     * @throws IllegalArgumentException for a malformed template, or one that clashes with a route
     *                                  already added (same method, same shape), or a shape whose
     *                                  routes would answer errors in two styles
     */
    void add(Route route) {
        String method = route.method();
        String template = route.template();
        ErrorStyle style = route.style();
        String m = method.toUpperCase(Locale.ROOT);
        if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("method must be a word such as GET or POST, got '" + method + "'");
        }
        String[] parts = split(template);
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException("path template must start with '/' and have at least one "
                    + "segment, e.g. /files/manifest, got '" + template + "'");
        }
        Segment[] segments = new Segment[parts.length];
        for (int i = 0; i < parts.length; i++) {
            segments[i] = Segment.parse(template, parts[i]);
        }
        if (segments[0].param != null) {
            throw new IllegalArgumentException("path template '" + template + "' must start with a literal segment");
        }
        CompiledRoute compiled = new CompiledRoute(new Route(m, template, route.blocking(), style, route.readsBody(),
                route.action()), segments);
        List<CompiledRoute> sameLength = bySegmentCount.computeIfAbsent(segments.length, n -> new ArrayList<>());
        for (CompiledRoute existing : sameLength) {
            if (existing.sameShape(segments)) {
                if (existing.route.method().equals(m)) {
                    throw new IllegalArgumentException("route " + m + " " + template + " clashes with "
                            + existing.route.method() + " " + existing.route.template());
                }
                if (existing.route.style() != style) {
                    throw new IllegalArgumentException("route " + m + " " + template + " has another error style "
                            + "than " + existing.route.method() + " " + existing.route.template());
                }
            }
        }
        sameLength.add(compiled);
        namespaces.add(segments[0].literal);
    }

    /**
     * The route for this request: a {@link Match} with a route, a {@link Match} without one if the
     * path is known but not with this method, or {@code null} if no template matches the path.
     */
    Match find(String method, String path) {
        String[] parts = split(path);
        if (parts == null) {
            return null;
        }
        List<CompiledRoute> candidates = bySegmentCount.get(parts.length);
        if (candidates == null) {
            return null;
        }
        CompiledRoute best = null;
        for (CompiledRoute candidate : candidates) {
            if (candidate.matches(parts) && (best == null || candidate.moreSpecificThan(best))) {
                best = candidate;
            }
        }
        if (best == null) {
            return null;
        }
        Set<String> allowed = new TreeSet<>();
        CompiledRoute chosen = null;
        for (CompiledRoute candidate : candidates) {
            if (candidate.sameShape(best.segments)) {
                allowed.add(candidate.route.method());
                if (candidate.route.method().equals(method)) {
                    chosen = candidate;
                }
            }
        }
        return chosen == null ? new Match(null, Map.of(), allowed, best.route.style())
                : new Match(chosen.route, chosen.params(parts), allowed, chosen.route.style());
    }

    /**
     * Whether the path lies in a namespace this router serves (its first segment is the first segment
     * of some route): such a path answers 404 here instead of falling through to another handler.
     */
    boolean claims(String path) {
        String[] segments = split(path);
        return segments != null && segments.length > 0 && namespaces.contains(segments[0]);
    }

    /**
     * The error style of a namespace: that of its routes ({@code /v2/...} writes problems); the compat
     * style for paths outside every namespace.
     */
    ErrorStyle styleOf(String path) {
        String[] segments = split(path);
        if (segments == null || segments.length == 0) {
            return ErrorStyle.COMPAT;
        }
        String first = segments[0];
        for (List<CompiledRoute> routes : bySegmentCount.values()) {
            for (CompiledRoute route : routes) {
                if (route.segments[0].literal.equals(first)) {
                    return route.route.style();
                }
            }
        }
        return ErrorStyle.COMPAT;
    }

    /**
     * Names what is wrong with a path that was refused before routing (Jetty refuses encoded control
     * characters, encoded separators and the like): the first segment holding an encoded or unusual
     * character, as the parameter it stands for when a route has that shape, e.g.
     * {@code invalid value '%00' for parameter 'task_id'}, else as a path segment.
     *
     * @param rawPath the path as sent, still percent-encoded
     * @param name    if not {@code null}, receives in {@code name[0]} the parameter's name when the
     *                segment stands for one (a problem names it)
     * @return the description, or {@code null} if no segment looks suspicious
     */
    String describeRefusedPath(String rawPath, String[] name) {
        String[] segments = split(rawPath);
        if (segments == null) {
            return null;
        }
        int bad = -1;
        for (int i = 0; i < segments.length && bad < 0; i++) {
            if (isSuspicious(segments[i])) {
                bad = i;
            }
        }
        if (bad < 0) {
            return null;
        }
        String value = Params.echo(segments[bad]);
        for (CompiledRoute candidate : bySegmentCount.getOrDefault(segments.length, List.of())) {
            if (candidate.literalsMatch(segments) && candidate.segments[bad].param != null) {
                String param = candidate.segments[bad].param;
                if (name != null) {
                    name[0] = param;
                }
                return "invalid value '" + value + "' for parameter '" + param + "'";
            }
        }
        return "invalid path segment '" + value + "'";
    }

    private static boolean isSuspicious(String segment) {
        return segment.chars().anyMatch(c -> c == '%' || c == '\\' || c < 0x21 || c > 0x7e)
                || segment.equals(".") || segment.equals("..");
    }

    /** Every route, for documentation and tests. */
    List<Route> routes() {
        List<Route> all = new ArrayList<>();
        bySegmentCount.values().forEach(list -> list.forEach(c -> all.add(c.route)));
        return all;
    }

    /** Splits "/a/b/" into [a, b]; null if the path does not start with '/'. */
    private static String[] split(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(1, path.length() - 1)
                : path.substring(1);
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /**
     * One template segment: a literal ({@code param == null}), or a parameter with an optional
     * literal suffix.
     */
    private static final class Segment {
        final String literal;
        final String param;
        final String suffix;

        private Segment(String literal, String param, String suffix) {
            this.literal = literal;
            this.param = param;
            this.suffix = suffix;
        }

        static Segment parse(String template, String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("path template '" + template + "' has an empty segment");
            }
            int open = text.indexOf('{');
            int close = text.indexOf('}');
            if (open < 0 && close < 0) {
                return new Segment(text, null, null);
            }
            if (open != 0 || close < 2 || text.indexOf('{', 1) >= 0 || text.indexOf('}', close + 1) >= 0) {
                throw new IllegalArgumentException("path template '" + template + "' has a malformed "
                        + "parameter segment '" + text + "'; write {name} or {name}:suffix");
            }
            return new Segment(null, text.substring(1, close), text.substring(close + 1));
        }

        /** 2 for a literal, 1 for a parameter with a suffix, 0 for a plain parameter. */
        int specificity() {
            return param == null ? 2 : suffix.isEmpty() ? 0 : 1;
        }

        boolean matches(String part) {
            if (param == null) {
                return literal.equals(part);
            }
            return part.length() > suffix.length() && part.endsWith(suffix);
        }

        String value(String part) {
            return part.substring(0, part.length() - suffix.length());
        }

        boolean sameShape(Segment other) {
            return param == null ? other.param == null && literal.equals(other.literal)
                    : other.param != null && suffix.equals(other.suffix);
        }
    }

    private static final class CompiledRoute {
        final Route route;
        final Segment[] segments;

        CompiledRoute(Route route, Segment[] segments) {
            this.route = route;
            this.segments = segments;
        }

        boolean matches(String[] path) {
            for (int i = 0; i < segments.length; i++) {
                if (!segments[i].matches(path[i])) {
                    return false;
                }
            }
            return true;
        }

        Map<String, String> params(String[] path) {
            Map<String, String> params = null;
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].param != null) {
                    if (params == null) {
                        params = new HashMap<>(2);
                    }
                    params.put(segments[i].param, segments[i].value(path[i]));
                }
            }
            return params == null ? Map.of() : params;
        }

        boolean moreSpecificThan(CompiledRoute other) {
            for (int i = 0; i < segments.length; i++) {
                int mine = segments[i].specificity();
                int theirs = other.segments[i].specificity();
                if (mine != theirs) {
                    return mine > theirs;
                }
            }
            return false;
        }

        /** Whether every literal segment of the template equals the path's; parameters match anything. */
        boolean literalsMatch(String[] path) {
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].param == null && !segments[i].literal.equals(path[i])) {
                    return false;
                }
            }
            return true;
        }

        boolean sameShape(Segment[] other) {
            for (int i = 0; i < segments.length; i++) {
                if (!segments[i].sameShape(other[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}

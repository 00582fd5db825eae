package dev.taskmanager.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a method and a decoded path to a route. Templates are literal segments and {@code {name}}
 * segments that match any one non-empty segment. A trailing {@code /} is ignored (SPEC §12.1). An
 * unknown path and a known path with the wrong method both find nothing: the compat API answers
 * 404 to either.
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

    /**
     * One endpoint.
     *
     * @param method   upper-case HTTP method
     * @param template the path template, e.g. {@code /task_manager/task_status/{task_id}}
     * @param blocking whether the action may block (a streamed list, an extension): it then runs on
     *                 a pool thread instead of the thread that parsed the request
     * @param action   what to do
     */
    record Route(String method, String template, boolean blocking, Action action) {
    }

    /** A route and the values of its {@code {name}} segments. */
    record Match(Route route, Map<String, String> pathParams) {
    }

    private final Map<Integer, List<CompiledRoute>> bySegmentCount = new HashMap<>();
    private final Set<String> namespaces = new LinkedHashSet<>();

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException for a malformed template, or one that clashes with a route
     *                                  already added (same method, same shape)
     */
    void add(String method, String template, boolean blocking, Action action) {
        String m = method.toUpperCase(Locale.ROOT);
        if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("method must be a word such as GET or POST, got '" + method + "'");
        }
        String[] segments = split(template);
        if (segments == null || segments.length == 0) {
            throw new IllegalArgumentException("path template must start with '/' and have at least one "
                    + "segment, e.g. /files/manifest, got '" + template + "'");
        }
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("path template '" + template + "' has an empty segment");
            }
            if ((segment.startsWith("{") != segment.endsWith("}")) || segment.equals("{}")) {
                throw new IllegalArgumentException("path template '" + template + "' has a malformed "
                        + "parameter segment '" + segment + "'; write {name}");
            }
        }
        if (isParam(segments[0])) {
            throw new IllegalArgumentException("path template '" + template + "' must start with a literal segment");
        }
        CompiledRoute compiled = new CompiledRoute(new Route(m, template, blocking, action), segments);
        List<CompiledRoute> sameLength = bySegmentCount.computeIfAbsent(segments.length, n -> new ArrayList<>());
        for (CompiledRoute existing : sameLength) {
            if (existing.route.method().equals(m) && existing.sameShape(segments)) {
                throw new IllegalArgumentException("route " + m + " " + template + " clashes with "
                        + existing.route.method() + " " + existing.route.template());
            }
        }
        sameLength.add(compiled);
        namespaces.add(segments[0]);
    }

    /** The route for this request, or {@code null} if none matches path and method. */
    Match find(String method, String path) {
        String[] segments = split(path);
        if (segments == null) {
            return null;
        }
        List<CompiledRoute> candidates = bySegmentCount.get(segments.length);
        if (candidates == null) {
            return null;
        }
        for (CompiledRoute candidate : candidates) {
            if (candidate.route.method().equals(method)) {
                Map<String, String> params = candidate.match(segments);
                if (params != null) {
                    return new Match(candidate.route, params);
                }
            }
        }
        return null;
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
     * Names what is wrong with a path that was refused before routing (Jetty refuses encoded control
     * characters, encoded separators and the like): the first segment holding an encoded or unusual
     * character, as the parameter it stands for when a route has that shape, e.g.
     * {@code invalid value '%00' for parameter 'task_id'}, else as a path segment.
     *
     * @param rawPath the path as sent, still percent-encoded
     * @return the description, or {@code null} if no segment looks suspicious
     */
    String describeRefusedPath(String rawPath) {
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
            if (candidate.literalsMatch(segments) && isParam(candidate.segments[bad])) {
                String name = candidate.segments[bad].substring(1, candidate.segments[bad].length() - 1);
                return "invalid value '" + value + "' for parameter '" + name + "'";
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

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static final class CompiledRoute {
        final Route route;
        final String[] segments;

        CompiledRoute(Route route, String[] segments) {
            this.route = route;
            this.segments = segments;
        }

        Map<String, String> match(String[] path) {
            Map<String, String> params = null;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (isParam(segment)) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    if (params == null) {
                        params = new HashMap<>(2);
                    }
                    params.put(segment.substring(1, segment.length() - 1), path[i]);
                } else if (!segment.equals(path[i])) {
                    return null;
                }
            }
            return params == null ? Map.of() : params;
        }

        /** Whether every literal segment of the template equals the path's; parameters match anything. */
        boolean literalsMatch(String[] path) {
            for (int i = 0; i < segments.length; i++) {
                if (!isParam(segments[i]) && !segments[i].equals(path[i])) {
                    return false;
                }
            }
            return true;
        }

        boolean sameShape(String[] other) {
            for (int i = 0; i < segments.length; i++) {
                boolean param = isParam(segments[i]);
                if (param != isParam(other[i]) || (!param && !segments[i].equals(other[i]))) {
                    return false;
                }
            }
            return true;
        }
    }
}

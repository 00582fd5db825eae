package dev.taskmanager.server;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import org.eclipse.jetty.server.Request;

/**
 * Tags of the Jetty request meters ({@code jetty.server.requests}): Micrometer's method, status and
 * outcome, plus {@code uri}, the matched route's template (e.g.
 * {@code /task_manager/task_status/{task_id}}), never the raw path, so task ids and typos cannot
 * multiply the series. A request no route matched is {@code NOT_FOUND} when answered 404, else
 * {@code UNKNOWN} (refused before routing, e.g. a malformed path).
 */
final class RouteTags implements JettyCoreRequestTagsProvider {
    /** The request attribute under which {@link ApiHandler} leaves the matched route's template. */
    static final String ROUTE_ATTRIBUTE = RouteTags.class.getName() + ".route";

    private final DefaultJettyCoreRequestTagsProvider defaults = new DefaultJettyCoreRequestTagsProvider();

    @Override
    public Iterable<Tag> getTags(Request request) {
        Tags tags = Tags.of(defaults.getTags(request));
        Object route = request.getAttribute(ROUTE_ATTRIBUTE);
        String uri;
        if (route instanceof String) {
            uri = (String) route;
        } else {
            uri = tags.stream().anyMatch(t -> t.getKey().equals("status") && t.getValue().equals("404"))
                    ? "NOT_FOUND" : "UNKNOWN";
        }
        return tags.and("uri", uri);
    }
}

package dev.taskmanager.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format 0.0.4, or in OpenMetrics 1.0.0 when
 * the {@code Accept} header asks for {@code application/openmetrics-text} (as Prometheus does by
 * default). It passes the same access checks as every route (Host, token).
 *
 * <p>A scrape is rendered in memory, and its size follows the number of meters, which the binders
 * bound (see {@code docs/metrics.md}), not anything the client sends. At most
 * {@value #MAX_CONCURRENT_SCRAPES} scrapes are rendered or written at once, each holding its permit
 * until the client has taken the whole body, so slow or many scrapers hold at most that many copies;
 * more are answered 503 with {@code Retry-After}.
 */
final class MetricsRoute {
    static final String PATH = "/metrics";
    static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_1_0_0 = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final int MAX_CONCURRENT_SCRAPES = 2;

    private final PrometheusMeterRegistry registry;
    private final Semaphore scrapes = new Semaphore(MAX_CONCURRENT_SCRAPES);

    MetricsRoute(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void addTo(Router router) {
        router.add("GET", PATH, true, this::scrape);
    }

    private void scrape(Exchange ex) throws Exception {
        if (!scrapes.tryAcquire()) {
            throw new ApiException(503, "too many scrapes of " + PATH + " at once (at most "
                    + MAX_CONCURRENT_SCRAPES + "); retry in 1 second", Map.of("Retry-After", "1"));
        }
        boolean writing = false;
        try {
            String contentType = contentType(ex.request.getHeaders().get(HttpHeader.ACCEPT));
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            registry.scrape(body, contentType);
            ex.response.setStatus(200);
            ex.response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            writing = true;
            ex.response.write(true, ByteBuffer.wrap(body.toByteArray()), new Callback.Nested(ex.callback) {
                @Override
                public void succeeded() {
                    scrapes.release();
                    super.succeeded();
                }

                @Override
                public void failed(Throwable failure) {
                    scrapes.release();
                    super.failed(failure);
                }
            });
        } finally {
            if (!writing) {
                scrapes.release();
            }
        }
    }

    /**
     * OpenMetrics if the client accepts it (a media range {@code application/openmetrics-text} with a
     * quality above 0), else the classic text format, which every Prometheus reads.
     */
    static String contentType(String accept) {
        if (accept == null) {
            return TEXT_0_0_4;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/openmetrics-text")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (parameter.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(parameter.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) {
                return OPENMETRICS_1_0_0;
            }
        }
        return TEXT_0_0_4;
    }
}

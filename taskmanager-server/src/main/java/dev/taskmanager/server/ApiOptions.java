package dev.taskmanager.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How the API handler behaves: whether the test API is on, which address {@code children_ids}
 * report as {@code node}, which extension routes it serves, how many large answers it writes at once,
 * and who may use it (allowed {@code Host} names, cross-origin writes, a bearer token; see
 * {@code docs/security.md}). Immutable; build one with {@link #builder()}.
 */
public final class ApiOptions {
    /** The {@code node} reported when no address is given: the loopback address the server binds by default. */
    public static final String DEFAULT_NODE_ADDRESS = "127.0.0.1";

    /** How many large answers may be written at once by default; see {@link Builder#maxConcurrentListings}. */
    public static final int DEFAULT_MAX_CONCURRENT_LISTINGS = 8;

    private final boolean testApi;
    private final String nodeAddress;
    private final int maxConcurrentListings;
    private final Set<String> allowedHosts;
    private final boolean crossOriginChecks;
    private final String bearerToken;
    private final List<ExtensionRoute> routes;
    private final PrometheusMeterRegistry metrics;
    private final List<String> openApiFragments;
    private final List<TaskSource> taskSources;
    private final boolean dashboard;

    private ApiOptions(Builder builder) {
        this.metrics = builder.metrics;
        this.dashboard = builder.dashboard;
        this.taskSources = List.copyOf(builder.taskSources);
        this.openApiFragments = List.copyOf(builder.openApiFragments);
        this.testApi = builder.testApi;
        this.nodeAddress = builder.nodeAddress != null ? builder.nodeAddress : DEFAULT_NODE_ADDRESS;
        this.routes = List.copyOf(builder.routes);
        this.maxConcurrentListings = builder.maxConcurrentListings;
        this.allowedHosts = builder.allowedHosts == null ? null : Set.copyOf(builder.allowedHosts);
        this.crossOriginChecks = builder.crossOriginChecks;
        this.bearerToken = builder.bearerToken;
    }

    /** A builder with everything at its default: no test API, node {@value #DEFAULT_NODE_ADDRESS}, no extensions. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the test API of SPEC §13 is served (default false: it lets any client create tasks). */
    public boolean testApiEnabled() {
        return testApi;
    }

    /** The address reported as {@code node} in {@code children_ids}. */
    public String nodeAddress() {
        return nodeAddress;
    }

    /** How many large answers may be written at once; see {@link Builder#maxConcurrentListings}. */
    public int maxConcurrentListings() {
        return maxConcurrentListings;
    }

    /** Whether the web dashboard is served under {@code /ui/}; see {@link Builder#dashboard}. */
    public boolean dashboardEnabled() {
        return dashboard;
    }

    /** Whether every request must carry the bearer token. */
    public boolean requiresToken() {
        return bearerToken != null;
    }

    /** The registry served at {@code GET /metrics}, or {@code null} when metrics are off. */
    PrometheusMeterRegistry metrics() {
        return metrics;
    }

    AccessPolicy accessPolicy() {
        return new AccessPolicy(allowedHosts, crossOriginChecks, bearerToken);
    }

    List<ExtensionRoute> routes() {
        return routes;
    }

    List<String> openApiFragments() {
        return openApiFragments;
    }

    /** The sources merged into the v2 list besides the live registry. */
    List<TaskSource> taskSources() {
        return taskSources;
    }

    /** A route added by another module. */
    record ExtensionRoute(String method, String path, ExtensionHandler handler) {
    }

    /** Configures {@link ApiOptions}. Not thread-safe. */
    public static final class Builder {
        private boolean testApi;
        private String nodeAddress;
        private final List<ExtensionRoute> routes = new ArrayList<>();
        private final List<String> openApiFragments = new ArrayList<>();
        private final List<TaskSource> taskSources = new ArrayList<>();
        private int maxConcurrentListings = DEFAULT_MAX_CONCURRENT_LISTINGS;
        private Set<String> allowedHosts;
        private boolean crossOriginChecks = true;
        private String bearerToken;
        private PrometheusMeterRegistry metrics;
        private boolean dashboard = true;

        private Builder() {
        }

        /**
         * Serves {@code registry} at {@code GET /metrics} in the Prometheus text format (or OpenMetrics
         * when asked for), and, while the handler runs, binds the task manager's meters to it
         * ({@link dev.taskmanager.micrometer.TaskManagerMetrics}; see {@code docs/metrics.md}).
         * Default: no metrics, and {@code /metrics} is not served. The route obeys the access rules
         * like every other.
         */
        public Builder metrics(PrometheusMeterRegistry registry) {
            this.metrics = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Answers only requests whose {@code Host} header names one of these hosts (any port),
         * {@code localhost} or a loopback address; others get 421 Misdirected Request. This defeats
         * DNS rebinding, where a web page points its own name at 127.0.0.1 to reach a local server.
         * Not set (the default for an embedded handler), any {@code Host} is accepted;
         * {@link TaskManagerServer} sets it on a loopback bind.
         *
         * @param hosts host names or IP addresses, matched case-insensitively; may be empty (loopback only)
         * @throws IllegalArgumentException if a name is blank or holds a port or a scheme
         */
        public Builder allowedHosts(Collection<String> hosts) {
            Set<String> names = new LinkedHashSet<>();
            for (String host : Objects.requireNonNull(hosts, "hosts")) {
                String name = Objects.requireNonNull(host, "host").trim().toLowerCase(Locale.ROOT);
                if (name.startsWith("[") && name.endsWith("]")) {
                    name = name.substring(1, name.length() - 1);
                }
                if (name.isEmpty() || name.contains("/") || (name.contains(":") && !name.matches("[0-9a-f:.]+"))) {
                    throw new IllegalArgumentException("invalid allowed host '" + host
                            + "': expected a host name or IP address without scheme or port, e.g. tm.example.com");
                }
                names.add(name);
            }
            this.allowedHosts = names;
            return this;
        }

        /**
         * Whether requests other than GET and HEAD are refused (403) when a browser marks them
         * cross-origin: an {@code Origin} other than the server's own, or {@code Sec-Fetch-Site}
         * {@code cross-site}/{@code same-site} (default true). Clients that are not browsers send
         * neither header and are unaffected. Turn it off only behind a proxy that checks origins itself.
         */
        public Builder crossOriginChecks(boolean enabled) {
            this.crossOriginChecks = enabled;
            return this;
        }

        /**
         * Requires {@code Authorization: Bearer <token>} on every request (default: no token); a
         * missing or wrong one is answered 401 with {@code WWW-Authenticate: Bearer}. Compared in
         * constant time.
         *
         * @throws IllegalArgumentException if blank or holding white space or control characters
         */
        public Builder bearerToken(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("a bearer token must be non-empty printable ASCII without spaces");
            }
            this.bearerToken = token;
            return this;
        }

        /**
         * {@link #bearerToken} read from a file (surrounding white space removed), refused, as OpenSSH
         * refuses a private key, if group or others may access it.
         *
         * @throws IllegalArgumentException naming the file and the problem: missing, empty, or too open
         */
        public Builder bearerTokenFile(Path file) {
            String token = SecretFiles.readText(Objects.requireNonNull(file, "file"), "--auth-token-file");
            try {
                return bearerToken(token);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value '" + file + "' for option '--auth-token-file': "
                        + e.getMessage(), e);
            }
        }

        /**
         * How many large answers — a {@code list_module_tasks} or {@code task_status_recursive} body
         * past its first 32 KiB — may be written at once (default
         * {@value ApiOptions#DEFAULT_MAX_CONCURRENT_LISTINGS}). Each holds a thread while its client
         * reads; more are answered 503 with {@code Retry-After} before anything is sent. Smaller
         * answers are never refused.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxConcurrentListings(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max concurrent listings must be at least 1, got " + max);
            }
            this.maxConcurrentListings = max;
            return this;
        }

        /**
         * Whether the handler serves the web dashboard under {@code /ui/} (default true): static files
         * from this jar, held in memory, that read the v2 API from the browser ({@code docs/dashboard.md}).
         * Turn it off when the service has a {@code /ui} of its own, or wants no browser front end.
         */
        public Builder dashboard(boolean enabled) {
            this.dashboard = enabled;
            return this;
        }

        /** Serves the test API under {@code /task_manager_test} (default false). */
        public Builder enableTestApi(boolean enabled) {
            this.testApi = enabled;
            return this;
        }

        /**
         * The address reported as {@code node} in {@code children_ids}: where clients reach this node.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder nodeAddress(String address) {
            if (Objects.requireNonNull(address, "address").isBlank()) {
                throw new IllegalArgumentException("node address must not be blank");
            }
            this.nodeAddress = address;
            return this;
        }

        /**
         * Adds an endpoint, e.g. {@code route("POST", "/files/manifest", handler)}. The path is a
         * template: {@code {name}} segments match one path segment each, read with
         * {@link ExtensionRequest#pathParam}. A trailing {@code /} in requests is ignored, as for the
         * compat API. A path that clashes with a built-in route or another extension is refused when
         * the handler is built.
         */
        public Builder route(String method, String path, ExtensionHandler handler) {
            routes.add(new ExtensionRoute(Objects.requireNonNull(method, "method"),
                    Objects.requireNonNull(path, "path"), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /**
         * Describes extension routes in {@code /openapi.json}: a fragment of an OpenAPI 3.1 document,
         * a JSON object holding {@code paths} (the routes, as in a document), and optionally
         * {@code components} (schemas and the like they refer to as {@code #/components/...}) and
         * {@code tags}. Its paths and components are added to the document's; one that the document
         * already has is refused.
         *
         * @throws IllegalArgumentException if it is not such a JSON object (a clash is found when the
         *                                  handler is built)
         */
        public Builder openApi(String fragment) {
            OpenApi.checkFragment(Objects.requireNonNull(fragment, "fragment"));
            openApiFragments.add(fragment);
            return this;
        }

        /**
         * Adds a source of tasks besides the live registry, e.g. a history store: the v2 list merges
         * its tasks with the live ones by the cursor key, and the v2 lookups and waits find an id
         * there once it is no longer live. See {@link TaskSource} for the contract.
         */
        public Builder taskSource(TaskSource source) {
            taskSources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** The options. */
        public ApiOptions build() {
            return new ApiOptions(this);
        }
    }
}

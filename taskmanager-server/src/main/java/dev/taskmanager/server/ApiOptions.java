package dev.taskmanager.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the API handler behaves: whether the test API is on, which address {@code children_ids}
 * report as {@code node}, and which extension routes it serves. Immutable; build one with
 * {@link #builder()}.
 */
public final class ApiOptions {
    /** The {@code node} reported when no address is given: the loopback address the server binds by default. */
    public static final String DEFAULT_NODE_ADDRESS = "127.0.0.1";

    /** How many large answers may be written at once by default; see {@link Builder#maxConcurrentListings}. */
    public static final int DEFAULT_MAX_CONCURRENT_LISTINGS = 8;

    private final boolean testApi;
    private final String nodeAddress;
    private final int maxConcurrentListings;
    private final List<ExtensionRoute> routes;

    private ApiOptions(Builder builder) {
        this.testApi = builder.testApi;
        this.nodeAddress = builder.nodeAddress != null ? builder.nodeAddress : DEFAULT_NODE_ADDRESS;
        this.routes = List.copyOf(builder.routes);
        this.maxConcurrentListings = builder.maxConcurrentListings;
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

    List<ExtensionRoute> routes() {
        return routes;
    }

    /** A route added by another module. */
    record ExtensionRoute(String method, String path, ExtensionHandler handler) {
    }

    /** Configures {@link ApiOptions}. Not thread-safe. */
    public static final class Builder {
        private boolean testApi;
        private String nodeAddress;
        private final List<ExtensionRoute> routes = new ArrayList<>();
        private int maxConcurrentListings = DEFAULT_MAX_CONCURRENT_LISTINGS;

        private Builder() {
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

        /** The options. */
        public ApiOptions build() {
            return new ApiOptions(this);
        }
    }
}

package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

/**
 * Fleet nodes for tests: {@code serve}'s wiring ({@link AppServer}) on port 0 with a PostgreSQL store
 * shared by every node started on the same database ({@link SharedPostgres}), each advertising
 * {@code <name>.test:10000}.
 */
final class FleetNodes {
    private FleetNodes() {
    }

    /** A node named {@code name} of the fleet on {@code url}; close it like any {@link AppServer}. */
    static AppServer start(String url, String name) throws Exception {
        return AppServer.start(List.of(), "--store", url, "--node-name", name, "--advertise-address",
                address(name), "--shutdown-timeout", "0");
    }

    /** The address a node started here advertises, as its tasks' {@code node} says. */
    static String address(String name) {
        return name + ".test:10000";
    }

    /** Waits until each node's store holds every task the node has so far. */
    static void flush(AppServer... nodes) throws InterruptedException {
        for (AppServer node : nodes) {
            assertThat(node.wiring.history().flush(Duration.ofSeconds(30))).isTrue();
        }
    }
}

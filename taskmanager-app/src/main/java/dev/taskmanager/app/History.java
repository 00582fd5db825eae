package dev.taskmanager.app;

import dev.taskmanager.TaskManager;
import dev.taskmanager.files.PrivateDirectory;
import dev.taskmanager.store.HistoryStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Opens {@code serve}'s history store from its flags: SQLite under {@code <data dir>/history/} (a
 * private directory like the data directory itself), or PostgreSQL, recording the server's task
 * manager. Says on {@code out} where history goes and how many tasks of the previous run it recorded
 * as interrupted.
 */
final class History {
    /** The history's directory under the data directory. */
    static final String DIRECTORY = "history";

    private History() {
    }

    /**
     * The store, open and recording {@code taskManager}; {@code null} with {@code --store memory}.
     *
     * @throws IOException if the history directory is refused (another user could change it)
     * @throws dev.taskmanager.store.HistoryStoreException if the store cannot be opened
     */
    static HistoryStore open(HistoryOptions options, Path dataDirectory, TaskManager taskManager, PrintStream out)
            throws IOException {
        return open(options, dataDirectory, taskManager, null, out);
    }

    /**
     * {@link #open(HistoryOptions, Path, TaskManager, PrintStream)}; on PostgreSQL this server joins the
     * fleet, advertised as {@code --advertise-address}, else as {@code defaultAddress} (else its name).
     */
    static HistoryStore open(HistoryOptions options, Path dataDirectory, TaskManager taskManager,
                             String defaultAddress, PrintStream out) throws IOException {
        if (!options.enabled()) {
            out.println("History: off (--store memory): finished tasks are gone once their TTL expires");
            return null;
        }
        HistoryStore.Builder builder = HistoryStore.builder().taskManager(taskManager).nodeName(options.nodeName())
                .retention(options.retention()).maxTasks(options.maxTasks());
        if (options.postgres()) {
            builder.postgres(options.store());
            if (options.user() != null) {
                builder.user(options.user());
            }
            if (options.password() != null) {
                builder.password(options.password());
            }
            String address = options.advertiseAddress() != null ? options.advertiseAddress() : defaultAddress;
            if (address != null) {
                builder.advertiseAddress(address);
            }
            if (options.leaseInterval() != null) {
                builder.leaseInterval(options.leaseInterval());
            }
            if (options.leaseDuration() != null) {
                builder.leaseDuration(options.leaseDuration());
            }
        } else {
            builder.sqlite(PrivateDirectory.ensure(dataDirectory.resolve(DIRECTORY)));
        }
        HistoryStore store = builder.open();
        out.println("History: " + store.description() + ", node " + store.nodeName() + ", finished tasks kept "
                + (options.retention().isZero() ? "without a time limit" : HistoryOptions.age(options.retention()))
                + (options.maxTasks() == 0 ? "" : ", at most " + options.maxTasks() + " tasks"));
        store.fleet().ifPresent(fleet -> out.println("Fleet: node " + fleet.nodeName() + " (epoch " + fleet.epoch()
                + ") advertised as " + fleet.advertiseAddress() + "; lease renewed every "
                + HistoryOptions.age(options.leaseInterval() != null ? options.leaseInterval() : java.time.Duration.ofSeconds(1))
                + ", lost after " + HistoryOptions.age(options.leaseDuration() != null ? options.leaseDuration()
                : java.time.Duration.ofSeconds(10)) + " without renewal; GET /v2/tasks?cluster=true lists every node's tasks"));
        if (store.interruptedAtOpen() > 0) {
            out.println("History: " + store.interruptedAtOpen() + " tasks of node " + store.nodeName()
                    + " were unfinished when its server stopped; recorded them as failed ("
                    + HistoryStore.INTERRUPTED + ")");
        }
        return store;
    }
}

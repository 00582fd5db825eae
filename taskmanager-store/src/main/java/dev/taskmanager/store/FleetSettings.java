package dev.taskmanager.store;

import java.time.Clock;
import java.time.Duration;

/**
 * A fleet node's settings, validated by {@link HistoryStore.Builder}.
 *
 * @param address       how other nodes and clients reach this node ({@code --advertise-address})
 * @param leaseInterval how often the lease is renewed and lost nodes are looked for
 * @param leaseDuration how long a lease lasts past its renewal; a node that does not renew for this
 *                      long is lost
 * @param pollInterval  how often pending abort requests and waited-for tasks are read, in case a
 *                      notification was missed
 * @param leaseClock    {@code null}: lease times are the database's clock; otherwise the database's
 *                      clock shifted by this clock's offset from the real time (tests move it)
 */
record FleetSettings(String address, Duration leaseInterval, Duration leaseDuration, Duration pollInterval,
                     Clock leaseClock) {
}

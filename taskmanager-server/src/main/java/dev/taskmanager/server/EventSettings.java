package dev.taskmanager.server;

import dev.taskmanager.Ticker;
import java.time.Duration;

/**
 * The bounds of the event stream ({@code docs/events.md}), from {@link ApiOptions}.
 *
 * @param bufferEvents      how many recent events the shared log holds for resuming and lagging clients
 * @param bufferBytes       how many bytes of rendered events it holds at most
 * @param progressPerSecond how many progress events a task gets per second at most
 * @param heartbeat         how often a quiet stream gets a {@code : heartbeat} comment
 * @param maxClientLag      how many events a client may fall behind the newest before it is reset and
 *                          disconnected; at most {@code bufferEvents}
 * @param ticker            the monotonic clock of coalescing
 * @param timer             the timers, or {@code null} for the server's scheduler
 */
record EventSettings(int bufferEvents, long bufferBytes, int progressPerSecond, Duration heartbeat, int maxClientLag,
                     Ticker ticker, EventTimer timer) {

    /** The shortest time between two progress events of a task. */
    long progressIntervalNanos() {
        return 1_000_000_000L / progressPerSecond;
    }
}

package dev.taskmanager.micrometer;

/**
 * What an event stream (the server's {@code GET /v2/events}) tells its meters. The stream implements
 * it from the state it keeps anyway to bound its clients; {@link EventStreamMetrics} reads it only when
 * the registry is scraped, so reporting costs the stream nothing per event.
 *
 * <p>Implementations must be thread-safe and cheap (a volatile read or a {@code LongAdder} sum): they
 * are called from whichever thread scrapes.
 */
public interface EventStreamStats {

    /** Clients connected to the stream now. */
    int connectedClients();

    /**
     * Clients the stream disconnected because they fell behind (their bounded queue overflowed and
     * they were sent {@code reset}), since the stream started. Never decreases. Clients that leave on
     * their own are not counted.
     */
    long droppedClients();
}

package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.micrometer.EventStreamStats;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code GET /v2/events}: every change of every task as server-sent events ({@code docs/events.md}).
 *
 * <pre>
 * task thread ──O(1) queue──▶ dispatcher ──append──▶ EventLog (ring) ◀──cursor── EventClient × N
 *  (EventFeed.listener)        (1 thread)            (shared, bounded)             (writer pool)
 * </pre>
 *
 * <p>The {@link EventFeed} turns task changes into events, rendered once, in one shared bounded
 * {@link EventLog}; each connection is an {@link EventClient} with a cursor into that log and at most
 * one asynchronous write in flight. Threads: one dispatcher and a small fixed pool of writers
 * ({@value #MAX_WRITERS} at most), whatever the number of clients; timers run on the server's
 * scheduler. A slow or stuck client holds one pending write and its cursor, nothing that grows and
 * nothing on the task's thread.
 *
 * <p><b>Resume.</b> A client that sends {@code Last-Event-ID: n} (or {@code last_event_id=n}) gets
 * every event after {@code n} still in the log, then live ones; when {@code n} has left the log, is
 * further behind than the client bound, or is not from this run (newer than the newest id; ids start
 * at the server's start time in microseconds since the epoch, so an id of an earlier run is older
 * than anything this run holds), the client gets one {@code reset} with the newest id, then live
 * events. The header wins over the parameter: a browser's {@code EventSource} reconnects to the same
 * URL with the header carrying the newer id.
 *
 * <p>Its counts ({@link EventStreamStats}) are published at {@code /metrics} as
 * {@code taskmanager.events.clients.active} and {@code taskmanager.events.clients.dropped} when
 * metrics are on.
 *
 * <p>Thread-safe. Started and closed with the API handler.
 */
final class EventStream implements EventStreamStats {
    static final String PATH = V2Routes.PREFIX + "/events";
    static final String LAST_EVENT_ID = "Last-Event-ID";
    /** The writer threads at most: enough to use the cores, never one per client. */
    static final int MAX_WRITERS = 4;

    private static final HttpField EVENT_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/event-stream");
    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    /** The stream lasts as long as its connection: when the server ends it, the connection closes too. */
    private static final HttpField CLOSE = new PreEncodedHttpField(HttpHeader.CONNECTION, "close");
    /** Asks nginx-style proxies not to buffer the stream. */
    private static final HttpField NO_BUFFERING = new PreEncodedHttpField("X-Accel-Buffering", "no");

    private final EventSettings settings;
    private final EventLog log;
    private final EventFeed feed;
    private final Set<EventClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong idleTimeouts = new AtomicLong();
    private volatile boolean running;
    private volatile ExecutorService dispatcher;
    private volatile ExecutorService writers;
    private volatile EventTimer timer;
    private volatile EventTimer.Cancel heartbeat;

    EventStream(TaskManager taskManager, String nodeAddress, EventSettings settings) {
        this.settings = settings;
        this.log = new EventLog(settings.bufferEvents(), settings.bufferBytes(),
                TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
        this.feed = new EventFeed(taskManager, nodeAddress, log, settings, this::wakeClients);
    }

    /** Adds {@code GET /v2/events} to the router. */
    void addTo(Router router) {
        router.add(new Router.Route("GET", PATH, false, Router.ErrorStyle.PROBLEM, false, this::open));
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Starts listening to the task manager and serving streams.
     *
     * @param scheduler the server's scheduler, for heartbeats and coalescing (unless the settings
     *                  bring their own timer)
     */
    synchronized void start(Scheduler scheduler) {
        if (running) {
            return;
        }
        timer = settings.timer() != null ? settings.timer() : EventTimer.on(scheduler);
        dispatcher = threads(1, "taskmanager-events-dispatcher");
        writers = threads(Math.max(2, Math.min(MAX_WRITERS, Runtime.getRuntime().availableProcessors())),
                "taskmanager-events-writer-");
        running = true;
        feed.start(dispatcher, timer);
        scheduleHeartbeat();
    }

    /**
     * Stops listening and ends every stream (after its write in flight, if any); the connections
     * close. Idempotent.
     */
    synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        feed.stop();
        EventTimer.Cancel beat = heartbeat;
        if (beat != null) {
            beat.cancel();
        }
        for (EventClient client : clients) {
            client.end();
        }
        dispatcher.shutdown();
        writers.shutdown();
    }

    private static ExecutorService threads(int count, String name) {
        AtomicInteger number = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, count == 1 ? name : name + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(count, count, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    }

    // ---------------------------------------------------------------- the route

    /**
     * Opens a stream: checks the parameters (400 problems, as {@code GET /v2/tasks}), answers 200
     * {@code text/event-stream} and registers the client. Runs on the thread that parsed the request
     * and returns at once; the response stays open.
     */
    private void open(Exchange ex) {
        QueryParams params = QueryParams.parse(ex.request.getHttpURI().getQuery())
                .check(EventFilter.PARAMETERS, EventFilter.REPEATABLE);
        EventFilter filter = EventFilter.parse(params);
        Long resumeAfter = resumeAfter(ex, params);
        if (!running) {
            throw new ApiException(503, "the server is stopping");
        }
        long head = log.head();
        long cursor = head;
        byte[] preamble = EventFrames.RETRY;
        if (resumeAfter != null) {
            long after = resumeAfter;
            if (log.canResumeAfter(after) && head - after <= settings.maxClientLag()) {
                cursor = after;
            } else {
                String reason = after > head ? "event " + after + " is not from this server's current run"
                        : "events since " + after + " are no longer buffered";
                preamble = concat(EventFrames.RETRY, EventFrames.reset(head, reason));
            }
        }
        ex.response.setStatus(200);
        HttpFields.Mutable headers = ex.response.getHeaders();
        headers.put(EVENT_STREAM);
        headers.put(NO_STORE);
        headers.put(CLOSE);
        headers.put(NO_BUFFERING);
        EventClient client = new EventClient(this, log, filter, settings.maxClientLag(), ex.request, ex.response,
                ex.callback, cursor, preamble);
        clients.add(client);
        opened.incrementAndGet();
        ex.request.addIdleTimeoutListener(client::onIdleTimeout);
        ex.request.addFailureListener(client::onFailure);
        client.watchDeparture();
        pump(client);
        if (!running) {
            client.end(); // the server began to stop while this one opened
        }
    }

    /** The id after which the client resumes: the header if sent, else the parameter; {@code null} if neither. */
    private static Long resumeAfter(Exchange ex, QueryParams params) {
        List<String> values = ex.request.getHeaders().getValuesList(LAST_EVENT_ID);
        if (values.size() > 1) {
            throw ApiException.badRequest("header '" + LAST_EVENT_ID + "' is given more than once")
                    .about(LAST_EVENT_ID, Params.echo(values.get(1)));
        }
        if (values.size() == 1 && !values.get(0).isBlank()) {
            String value = values.get(0).trim();
            if (!value.matches("[0-9]{1,18}")) {
                throw ApiException.badRequest("invalid value '" + Params.echo(value) + "' for header '" + LAST_EVENT_ID
                        + "': expected the id of the last event received, a whole number")
                        .about(LAST_EVENT_ID, Params.echo(value));
            }
            return Long.parseLong(value);
        }
        return params.wholeNumber("last_event_id", 0, Long.MAX_VALUE).orElse(null);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    // ---------------------------------------------------------------- clients

    /** Runs a client's pump on the writer pool (inline once the pool has stopped: a pump never blocks). */
    void pump(EventClient client) {
        ExecutorService pool = writers;
        try {
            pool.execute(client);
        } catch (RejectedExecutionException e) {
            client.run();
        }
    }

    /** Runs a short non-blocking job on the writer pool (inline once the pool has stopped). */
    void execute(Runnable job) {
        try {
            writers.execute(job);
        } catch (RejectedExecutionException e) {
            job.run();
        }
    }

    /** After events were appended: every idle client looks at them. On the dispatcher. */
    private void wakeClients() {
        for (EventClient client : clients) {
            client.wake();
        }
    }

    private void scheduleHeartbeat() {
        if (running) {
            heartbeat = timer.schedule(this::beat, settings.heartbeat().toNanos());
        }
    }

    /** Every client gets a heartbeat, unless it gets something else first; then the next one is set. */
    private void beat() {
        try {
            for (EventClient client : clients) {
                client.heartbeat();
            }
        } catch (RuntimeException e) {
            System.getLogger(EventStream.class.getName()).log(System.Logger.Level.WARNING, "Heartbeat failed", e);
        } finally {
            scheduleHeartbeat();
        }
    }

    void remove(EventClient client) {
        clients.remove(client);
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    void idleTimeoutSeen() {
        idleTimeouts.incrementAndGet();
    }

    // ---------------------------------------------------------------- counts

    /** How many streams are open now; for {@code /metrics} and monitoring. */
    @Override
    public int connectedClients() {
        return clients.size();
    }

    /** How many streams were opened since the start. */
    long openedCount() {
        return opened.get();
    }

    /**
     * How many clients were disconnected for falling behind (sent a {@code reset}) or for taking
     * nothing for an idle timeout, since the start; for {@code /metrics} and monitoring.
     */
    @Override
    public long droppedClients() {
        return dropped.get();
    }

    /** How many idle timeouts streams saw (and survived); for tests. */
    long idleTimeouts() {
        return idleTimeouts.get();
    }

    /** The furthest any open client is behind the newest event, in events; for tests (racy). */
    long maxLag() {
        long head = log.head();
        long lag = 0;
        for (EventClient client : clients) {
            lag = Math.max(lag, head - client.cursor());
        }
        return lag;
    }

    /** How many open clients have a write in flight now; for tests. */
    long writingClients() {
        return clients.stream().filter(EventClient::writing).count();
    }

    /** The cursor of each open client; for tests. */
    List<Long> cursors() {
        return clients.stream().map(EventClient::cursor).toList();
    }

    /** Runs {@code task} on the dispatcher thread; for tests that hold it. */
    void onDispatcher(Runnable task) {
        dispatcher.execute(task);
    }

    EventLog log() {
        return log;
    }

    EventFeed feed() {
        return feed;
    }
}

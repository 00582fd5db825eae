package dev.taskmanager.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One open {@code GET /v2/events}: a cursor into the shared {@link EventLog} and at most one
 * asynchronous write in flight. No thread is held for it: a <em>pump</em> runs on the stream's small
 * writer pool when there is something to send, gathers the events after the cursor that pass the
 * client's filter (at most {@value #BATCH_BYTES} bytes, copied into one pooled buffer), hands them to
 * Jetty and returns; the write's completion schedules the next pump. A client that reads slowly gets
 * bigger, rarer writes; one that stops reading leaves one write pending and its cursor still.
 *
 * <p><b>Bounds.</b> A client more than {@code maxLag} events behind the newest, or whose next event
 * has left the log, has fallen behind: its next pump (when its connection can take more) sends a
 * {@code reset} and ends the stream, and the connection is closed. A client whose pending write makes
 * no progress for the connection's idle timeout is cut off by Jetty. Either way it counts as dropped.
 *
 * <p><b>Departure.</b> HTTP/1.1 gives no event when a client closes a connection whose response is
 * being written: Jetty does not read the socket then, and a write to a closed connection may succeed
 * once more before it fails. So the client registers its own read interest on the socket (a
 * {@link Departure}): when the socket turns readable, a one-byte non-blocking read on the selector
 * finds the end of stream, and the client is closed at once, its slot, metrics and connection freed
 * without waiting for a heartbeat. The interest is withdrawn before the response completes, so Jetty
 * finds the connection as it left it. Plain sockets only, and only a request without a body (as
 * {@link Waiters}); others are found by the heartbeat's write failing.
 *
 * <p><b>Liveness.</b> A heartbeat comment goes out when one is due and nothing else is sent. At each
 * heartbeat (and each idle timeout) the socket is also probed with a one-byte non-blocking read, in
 * case the departure watch could not be set.
 *
 * <p><b>Threading.</b> {@code state} serialises everything: {@code SCHEDULED} (a pump is queued or
 * running), {@code WRITING} (a write is in flight), {@code IDLE} (nothing to do) and {@code CLOSED}.
 * Only the pump or the completion of the write touches the cursor and the buffer; {@link #wake} may
 * be called from any thread.
 */
final class EventClient implements Runnable, Callback {
    private static final System.Logger LOG = System.getLogger(EventClient.class.getName());

    /** The most one write carries (events larger than this go alone). */
    static final int BATCH_BYTES = 32 * 1024;
    /** The most events one pump looks at, so that a client filtering nearly everything out yields. */
    static final int SCAN_PER_PUMP = 4096;
    /** The most writes one turn of the pool makes when they complete at once, before other clients go. */
    static final int WRITES_PER_TURN = 8;

    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int WRITING = 2;
    private static final int CLOSED = 3;

    private final EventStream stream;
    private final EventLog log;
    private final EventFilter filter;
    private final int maxLag;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicInteger state = new AtomicInteger(SCHEDULED);

    // ---- the pump's and the write completion's own state
    /** The last event id looked at: every event up to it was sent or filtered out (volatile for tests' reads). */
    private volatile long cursor;
    /** What goes before the first event: {@code retry}, and a {@code reset} when a resume failed. */
    private byte[] preamble;
    private RetainableByteBuffer inFlight;
    private boolean lastWrite;
    private volatile boolean probing = true;
    /** The thread running the pump now, so that a write completing on it continues the turn. */
    private volatile Thread pumpThread;
    private boolean completedInline;

    /** Set while this client's {@link Departure} is registered with the socket; guarded by itself. */
    private final Departure departure = new Departure();

    private volatile boolean heartbeatDue;
    private volatile boolean probeDue;
    private volatile boolean ending;

    EventClient(EventStream stream, EventLog log, EventFilter filter, int maxLag, Request request, Response response,
                Callback callback, long cursor, byte[] preamble) {
        this.stream = stream;
        this.log = log;
        this.filter = filter;
        this.maxLag = maxLag;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.cursor = cursor;
        this.preamble = preamble;
    }

    /** Schedules a pump unless one is scheduled, running or waiting for its write. Any thread. */
    void wake() {
        if (state.get() == IDLE && state.compareAndSet(IDLE, SCHEDULED)) {
            stream.pump(this);
        }
    }

    /** A heartbeat is due: sent if nothing else goes out first. */
    void heartbeat() {
        heartbeatDue = true;
        probeDue = true;
        wake();
    }

    /** Jetty saw the connection idle (no write pending): check whether the client is still there. */
    boolean onIdleTimeout(TimeoutException timeout) {
        stream.idleTimeoutSeen();
        probeDue = true;
        wake();
        return false; // a quiet stream is not a dead one
    }

    /**
     * Starts watching the socket for the client's departure (see the class comment); once the client
     * is registered with the stream, so that a departure found at once can remove it.
     */
    void watchDeparture() {
        departure.watch();
    }

    /** Ends the stream after the write in flight, if any; the server is stopping. */
    void end() {
        ending = true;
        wake();
    }

    /** Jetty failed the request (the connection broke, the server stopped). */
    void onFailure(Throwable failure) {
        close(failure, false);
    }

    // ---------------------------------------------------------------- the pump

    /**
     * The pump: runs on the writer pool with {@code state == SCHEDULED}. A write that completes at
     * once (the socket had room) continues the turn here, up to {@value #WRITES_PER_TURN} writes,
     * instead of going back through the pool's queue.
     */
    @Override
    public void run() {
        pumpThread = Thread.currentThread();
        try {
            int writes = 0;
            do {
                completedInline = false;
                pump();
            } while (completedInline && ++writes < WRITES_PER_TURN);
            if (completedInline) {
                stream.pump(this); // its turn is over: behind the other clients
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "Event stream client failed; closing it", t);
            close(t, false);
        } finally {
            pumpThread = null;
        }
    }

    private void pump() {
        if (state.get() != SCHEDULED) {
            return; // closed meanwhile
        }
        if (ending) {
            finish();
            return;
        }
        if (probeDue) {
            probeDue = false;
            if (clientGone()) {
                close(new EofException("the client closed the connection"), false);
                return;
            }
        }
        long head = log.head();
        if (cursor < log.oldest() - 1 || head - cursor > maxLag) {
            fellBehind(head);
            return;
        }
        Batch batch = new Batch();
        if (preamble != null) {
            batch.add(preamble);
            preamble = null;
        }
        long id = cursor;
        int scanned = 0;
        while (id < head && scanned < SCAN_PER_PUMP) {
            Event event = log.get(id + 1);
            if (event == null) {
                fellBehind(head); // evicted while we looked
                return;
            }
            if (filter.matches(event)) {
                if (!batch.fits(event.frame)) {
                    break;
                }
                batch.add(event.frame);
            }
            id++;
            scanned++;
        }
        cursor = id;
        if (batch.isEmpty() && heartbeatDue) {
            batch.add(EventFrames.HEARTBEAT);
        }
        if (!batch.isEmpty()) {
            heartbeatDue = false;
            write(batch, false);
        } else if (id < head) {
            stream.pump(this); // looked at its share; the rest in the next turn
        } else {
            idle();
        }
    }

    private void idle() {
        if (!state.compareAndSet(SCHEDULED, IDLE)) {
            return;
        }
        // Anything that arrived while this pump ran found it SCHEDULED and did not wake it: look again.
        if (log.head() > cursor || heartbeatDue || probeDue || ending) {
            wake();
        }
    }

    /** Sends a {@code reset} saying why and ends the stream; the connection closes after it. */
    private void fellBehind(long head) {
        stream.dropped();
        LOG.log(System.Logger.Level.DEBUG, "Event stream client fell behind: at {0}, newest {1}", cursor, head);
        Batch batch = new Batch();
        if (preamble != null) {
            batch.add(preamble);
            preamble = null;
        }
        batch.add(EventFrames.reset(head, "the client fell behind"));
        write(batch, true);
    }

    /** Ends the response normally; with {@code Connection: close} Jetty then closes the connection. */
    private void finish() {
        if (state.compareAndSet(SCHEDULED, CLOSED)) {
            stream.remove(this);
            departure.withdraw();
            callback.succeeded();
        }
    }

    // ---------------------------------------------------------------- writing

    /** The frames of one write: kept as is while there is one, copied into a pooled buffer past that. */
    private final class Batch {
        private byte[] single;
        private RetainableByteBuffer pooled;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        /** Whether a frame fits; the first always does. */
        boolean fits(byte[] frame) {
            return size == 0 || size + frame.length <= BATCH_BYTES;
        }

        void add(byte[] frame) {
            if (size == 0) {
                single = frame;
            } else {
                if (pooled == null) {
                    ByteBufferPool pool = request.getComponents().getByteBufferPool();
                    pooled = pool.acquire(Math.max(BATCH_BYTES, size + frame.length), true);
                    ByteBuffer buffer = pooled.getByteBuffer();
                    int at = BufferUtil.flipToFill(buffer);
                    buffer.put(single);
                    BufferUtil.flipToFlush(buffer, at);
                    single = null;
                }
                ByteBuffer buffer = pooled.getByteBuffer();
                int at = BufferUtil.flipToFill(buffer);
                buffer.put(frame);
                BufferUtil.flipToFlush(buffer, at);
            }
            size += frame.length;
        }

        ByteBuffer content() {
            return pooled != null ? pooled.getByteBuffer() : ByteBuffer.wrap(single);
        }
    }

    private void write(Batch batch, boolean last) {
        inFlight = batch.pooled;
        lastWrite = last;
        if (!state.compareAndSet(SCHEDULED, WRITING)) {
            release();
            return;
        }
        response.write(last, batch.content(), this); // may complete right here; touch nothing after
    }

    /** The write completed: on to the next pump, or, after the last write, done. */
    @Override
    public void succeeded() {
        release();
        if (lastWrite) {
            if (state.compareAndSet(WRITING, CLOSED)) {
                stream.remove(this);
                departure.withdraw();
                callback.succeeded();
            }
            return;
        }
        if (state.compareAndSet(WRITING, SCHEDULED)) {
            if (pumpThread == Thread.currentThread()) {
                completedInline = true; // the pump that wrote goes on
            } else {
                stream.pump(this);
            }
        }
    }

    /** The write failed: the client went away, or made no progress for the idle timeout. */
    @Override
    public void failed(Throwable failure) {
        release();
        boolean stuck = failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException;
        close(failure, stuck);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING; // completions only schedule a pump
    }

    private void release() {
        RetainableByteBuffer buffer = inFlight;
        inFlight = null;
        if (buffer != null) {
            buffer.release();
        }
    }

    private void close(Throwable failure, boolean dropped) {
        int was = state.getAndSet(CLOSED);
        if (was == CLOSED) {
            return;
        }
        if (dropped) {
            stream.dropped();
        }
        stream.remove(this);
        departure.withdraw();
        LOG.log(System.Logger.Level.DEBUG, "Event stream client closed: {0}", failure.toString());
        callback.failed(failure);
    }

    private EndPoint endPoint() {
        return request.getConnectionMetaData().getConnection().getEndPoint();
    }

    /**
     * The read interest this client holds on its socket while the response is open, so that a
     * client closing its end is seen when it happens. Runs on the selector: its work is one
     * non-blocking read; closing the client goes to the writer pool.
     */
    private final class Departure implements Callback {
        /** Whether the interest is (or is about to be) registered and wanted; guarded by {@code this}. */
        private boolean watching;

        synchronized void watch() {
            EndPoint endPoint = endPoint();
            boolean hasBody = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                    || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
            if (!(endPoint instanceof SocketChannelEndPoint) || hasBody || state.get() == CLOSED) {
                return;
            }
            watching = true; // before registering: a registration that fails at once calls failed() here
            if (!endPoint.tryFillInterested(this)) {
                watching = false;
            }
        }

        /** Whether the interest is registered: the socket is watched, and a probe would only race with it. */
        synchronized boolean active() {
            return watching;
        }

        /**
         * Withdraws the interest, before the response completes: Jetty aborts a connection it finds
         * read-interested when a response ends. Idempotent.
         */
        synchronized void withdraw() {
            if (watching) {
                watching = false;
                ((AbstractEndPoint) endPoint()).getFillInterest().onFail(new CancellationException("the stream ended"));
            }
        }

        /** The socket is readable: the client closed its end, sent something, or nothing (spurious). */
        @Override
        public void succeeded() {
            int read;
            synchronized (this) {
                if (!watching) {
                    return;
                }
                try {
                    read = endPoint().fill(BufferUtil.allocate(1));
                } catch (IOException e) {
                    read = -1;
                }
                if (read == 0) {
                    if (!endPoint().tryFillInterested(this)) {
                        watching = false;
                    }
                    return;
                }
                watching = false;
            }
            if (read > 0) {
                probing = false; // it sent something after its request, as an event-stream client does not: stop looking
            } else {
                gone(new EofException("the client closed the connection"));
            }
        }

        /** The connection closed or failed under the interest (or the interest was withdrawn). */
        @Override
        public void failed(Throwable failure) {
            synchronized (this) {
                if (!watching) {
                    return;
                }
                watching = false;
            }
            gone(failure);
        }

        private void gone(Throwable why) {
            stream.execute(() -> close(why, false));
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /**
     * Whether the client has closed its end: a one-byte non-blocking read returns end of stream.
     * Plain sockets only (as {@link Waiters}); a byte read means the client sent something after its
     * request, which an event-stream client does not: probing stops then.
     */
    private boolean clientGone() {
        if (!probing || departure.active()) {
            return false;
        }
        EndPoint endPoint = endPoint();
        if (!(endPoint instanceof SocketChannelEndPoint)) {
            probing = false;
            return false;
        }
        if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
            return true;
        }
        try {
            int read = endPoint.fill(BufferUtil.allocate(1));
            if (read > 0) {
                probing = false;
            }
            return read < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether a write is in flight; for tests (racy while the client runs). */
    boolean writing() {
        return state.get() == WRITING;
    }

    /** The cursor; for tests (racy while the client runs). */
    long cursor() {
        return cursor;
    }
}

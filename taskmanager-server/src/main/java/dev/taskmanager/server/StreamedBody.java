package dev.taskmanager.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * The body of an answer that may be large (a module's listing, a recursive status), written as it
 * is rendered with at most one {@value #CHUNK}-byte chunk in memory.
 *
 * <p>Up to one chunk, nothing is sent: a small body goes out whole when it ends, with its
 * {@code Content-Length}, and needs no permit. When the render outgrows one chunk it takes a
 * {@linkplain RenderPermits permit} (or fails with 503 before anything is sent) and from then on
 * hands each full chunk to Jetty and waits until the connection has taken it before it fills the
 * buffer again: a slow reader slows the render down instead of making the server queue what it
 * cannot send. The wait is bounded by the connection's idle timeout: a client that takes less than
 * one chunk per idle timeout is cut off, so no reader can hold a permit by trickling.
 *
 * <p>Used by the one thread rendering the answer. {@link #flush()} does nothing, so that a JSON
 * generator's flushes do not cut the body into small writes.
 */
final class StreamedBody extends OutputStream {
    /** The most a render keeps in memory, and the size of each write: Jetty's output buffer size. */
    static final int CHUNK = 32 * 1024;

    private final Exchange ex;
    private final RenderPermits permits;
    private final byte[] buffer = new byte[CHUNK];
    private int count;
    private boolean streaming;
    private boolean ended;

    StreamedBody(Exchange ex, RenderPermits permits) {
        this.ex = ex;
        this.permits = permits;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == CHUNK) {
            sendChunk();
        }
        if (!ended) {
            buffer[count++] = (byte) b;
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0 && !ended) {
            if (count == CHUNK) {
                sendChunk();
            }
            int n = Math.min(length, CHUNK - count);
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() {
        // deliberately nothing: chunks go out when full, the rest when the body ends
    }

    /**
     * Ends the body and completes the exchange: a small body is sent whole with its length; a large
     * one's last chunk is sent and the permit released once it is written.
     */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        ByteBuffer last = ByteBuffer.wrap(buffer, 0, count);
        if (!streaming) {
            ex.response.write(true, last, ex.callback);
            return;
        }
        ex.response.write(true, last, Callback.from(() -> {
            permits.release();
            ex.callback.succeeded();
        }, failure -> {
            permits.release();
            ex.callback.failed(failure);
        }));
    }

    /** Gives the body up after a failure: releases the permit; later writes are dropped. */
    void abandon() {
        if (ended) {
            return;
        }
        ended = true;
        if (streaming) {
            permits.release();
        }
    }

    private void sendChunk() throws IOException {
        if (!streaming) {
            if (!permits.tryAcquire()) {
                ended = true;
                throw permits.busy();
            }
            streaming = true;
        }
        FutureCallback written = new FutureCallback();
        ex.response.write(false, ByteBuffer.wrap(buffer, 0, count), written);
        awaitWritten(written);
        count = 0;
    }

    private void awaitWritten(FutureCallback written) throws IOException {
        EndPoint endPoint = ex.request.getConnectionMetaData().getConnection().getEndPoint();
        long bound = Math.max(1, endPoint.getIdleTimeout());
        permits.writeBlocked();
        try {
            written.get(bound, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            endPoint.close(); // fails the pending write; the client gets a cut-off body
            throw new IOException("the client took less than " + CHUNK + " bytes in " + bound + " ms; answer cut off");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endPoint.close();
            throw new InterruptedIOException("interrupted while writing an answer");
        } finally {
            permits.writeUnblocked();
        }
    }
}

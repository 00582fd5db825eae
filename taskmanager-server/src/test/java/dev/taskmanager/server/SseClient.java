package dev.taskmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A client of {@code GET /v2/events} on a raw socket, so that tests control exactly what is read and
 * when (a client that stops reading is a socket nobody reads). It parses the HTTP head, the chunked
 * body and the {@code text/event-stream} frames. Reads block for at most 20 seconds, then fail.
 */
final class SseClient implements AutoCloseable {
    /** One frame: an event (id, event, data), a comment, or the retry line. */
    record Frame(String id, String event, String data, String comment, String retry) {
        long idNumber() {
            return Long.parseLong(id);
        }

        JsonNode json() {
            try {
                return ApiClient.MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }

        boolean isEvent() {
            return event != null;
        }

        /** The task id of a task event. */
        String taskId() {
            return json().get("id").asText();
        }
    }

    private final Socket socket;
    private InputStream in;
    private String head;
    private int status;
    private boolean chunked;
    private boolean ended;
    private final StringBuilder pending = new StringBuilder();

    private SseClient(Socket socket) {
        this.socket = socket;
    }

    /** Connects, sends {@code GET target} with the given extra header lines, and reads the head. */
    static SseClient open(int port, String target, String... headerLines) {
        SseClient client = connect(port, 0, target, headerLines);
        client.readHead();
        return client;
    }

    /**
     * Connects with a receive buffer of {@code receiveBuffer} bytes (0: the default) and sends the
     * request, reading nothing: a client that does not read.
     */
    static SseClient connect(int port, int receiveBuffer, String target, String... headerLines) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\n");
            boolean host = false;
            for (String line : headerLines) {
                host |= line.toLowerCase(Locale.ROOT).startsWith("host:");
            }
            if (!host) {
                request.append("Host: localhost\r\n");
            }
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            SseClient client = new SseClient(socket);
            client.in = socket.getInputStream();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the status line and headers. */
    SseClient readHead() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("connection closed in the head: " + bytes);
                }
                bytes.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        head = bytes.toString(StandardCharsets.ISO_8859_1);
        status = Integer.parseInt(head.substring(9, 12));
        chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
        return this;
    }

    int status() {
        return status;
    }

    /** The value of a response header, or {@code null}. */
    String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The body of a finite (error) answer. */
    String body() {
        try {
            if (chunked) {
                StringBuilder all = new StringBuilder();
                while (readChunk()) {
                    all.append(pending);
                    pending.setLength(0);
                }
                return all.append(pending).toString();
            }
            String length = header("Content-Length");
            byte[] body = in.readNBytes(length == null ? Integer.MAX_VALUE : Integer.parseInt(length));
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame; fails if none comes within the read timeout or the stream ends. */
    Frame next() {
        Frame frame = nextOrEnd();
        if (frame == null) {
            throw new AssertionError("the stream ended");
        }
        return frame;
    }

    /** The next event, skipping comments and the retry line. */
    Frame nextEvent() {
        while (true) {
            Frame frame = next();
            if (frame.isEvent()) {
                return frame;
            }
        }
    }

    /** The next frame, or {@code null} once the server ended the stream. */
    Frame nextOrEnd() {
        try {
            while (true) {
                int end = pending.indexOf("\n\n");
                if (end >= 0) {
                    String text = pending.substring(0, end);
                    pending.delete(0, end + 2);
                    return parse(text);
                }
                if (ended || !readChunk()) {
                    ended = true;
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every frame until the server ends the stream (or resets the connection). */
    List<Frame> readToEnd() {
        List<Frame> frames = new ArrayList<>();
        try {
            Frame frame;
            while ((frame = nextOrEnd()) != null) {
                frames.add(frame);
            }
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof java.net.SocketException)) {
                throw e;
            }
        }
        return frames;
    }

    /** Reads one chunk into {@code pending}; false at the last chunk or end of stream. */
    private boolean readChunk() throws IOException {
        try {
            if (!chunked) {
                byte[] buffer = new byte[8192];
                int n = in.read(buffer);
                if (n < 0) {
                    return false;
                }
                pending.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                return true;
            }
            String sizeLine = readLine();
            if (sizeLine == null) {
                return false;
            }
            int size = Integer.parseInt(sizeLine.trim(), 16);
            if (size == 0) {
                readLine();
                return false;
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                return false;
            }
            readLine();
            pending.append(new String(chunk, StandardCharsets.UTF_8));
            return true;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no data from the server within the read timeout; so far: " + pending, e);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private static Frame parse(String text) {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String comment = null;
        String retry = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(":")) {
                comment = line.substring(1).trim();
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            } else if (line.startsWith("retry: ")) {
                retry = line.substring(7);
            } else {
                throw new AssertionError("unexpected line in the event stream: '" + line + "' in " + text);
            }
        }
        return new Frame(id, event, data == null ? null : data.toString(), comment, retry);
    }

    /** Closes the socket (the client goes away). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}

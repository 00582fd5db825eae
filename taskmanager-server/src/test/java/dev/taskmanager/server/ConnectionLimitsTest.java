package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's slowloris: connections that dribble a request head outlived the idle timeout (each
 * byte renews it) and took every file descriptor. Now a head must arrive within a bound, and
 * connections are limited per client address and in total; a legitimate client is served meanwhile.
 * Waits on sockets use a read timeout as a failure bound only.
 */
class ConnectionLimitsTest {
    private static final String PARTIAL_HEAD = "GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n";

    @Test
    void requestHeadsThatDoNotCompleteWithinTheBoundAreClosedWhileOthersAreServed() {
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.requestHeaderTimeout(Duration.ofMillis(300)))) {
            List<KeepAlive> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    KeepAlive connection = new KeepAlive(f.server.port());
                    if (i % 3 != 0) {
                        connection.send(i % 3 == 1 ? PARTIAL_HEAD : "GET /task_manager/li");
                    } // every third sends nothing at all
                    slow.add(connection);
                }
                try (KeepAlive legitimate = new KeepAlive(f.server.port())) {
                    assertThat(legitimate.get("/task_manager/list_modules").status()).isEqualTo(200);
                }
                for (KeepAlive connection : slow) {
                    assertThat(connection.closedByServer()).as("closed within the read bound").isTrue();
                }
            } finally {
                slow.forEach(KeepAlive::close);
            }
            assertThat(f.server.guard().headTimeouts()).isEqualTo(300);
        }
    }

    @Test
    void onAKeptAliveConnectionTheBoundStartsWithTheNextRequestNotWhileIdle() {
        Duration bound = Duration.ofMillis(200);
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.requestHeaderTimeout(bound));
             KeepAlive idle = new KeepAlive(f.server.port());
             KeepAlive dribbling = new KeepAlive(f.server.port())) {
            assertThat(idle.get("/task_manager/list_modules").status()).isEqualTo(200);
            assertThat(dribbling.get("/task_manager/list_modules").status()).isEqualTo(200);
            long answered = System.nanoTime();
            dribbling.send(PARTIAL_HEAD);
            assertThat(dribbling.closedByServer()).isTrue();
            Await.until("sweeps ran well past the bound since the idle connection's answer",
                    () -> f.server.guard().lastSweepNanos() - answered > 3 * bound.toNanos());
            assertThat(idle.get("/task_manager/list_modules").status()).isEqualTo(200);
            assertThat(f.server.guard().headTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void aPendingWaitIsNotARequestHead() throws Exception {
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.requestHeaderTimeout(Duration.ofMillis(100)));
             KeepAlive waiting = new KeepAlive(f.server.port())) {
            f.withTestModule();
            String id = f.client.createTestTask("");
            waiting.send("GET /task_manager/wait_task/" + id + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.until("the wait is held", () -> f.server.pendingWaits() == 1);
            long held = System.nanoTime();
            Await.until("sweeps ran well past the bound", () -> f.server.guard().lastSweepNanos() - held > 500_000_000L);
            f.client.finish(id);
            assertThat(waiting.read().status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreClosedAtOnceAndOtherAddressesAreServed() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.maxConnectionsPerAddress(20))) {
            List<KeepAlive> held = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    held.add(new KeepAlive(f.server.port()));
                }
                Await.until("20 connections are open", () -> f.server.guard().openFrom(local) == 20);
                try (KeepAlive oneTooMany = new KeepAlive(f.server.port())) {
                    assertThat(oneTooMany.closedByServer()).isTrue();
                }
                assertThat(f.server.guard().refusedByAddress()).isEqualTo(1);
                try (KeepAlive elsewhere = new KeepAlive("127.0.0.2", f.server.port())) {
                    assertThat(elsewhere.get("/task_manager/list_modules").status()).isEqualTo(200);
                }
                held.remove(0).close();
                Await.until("a slot is free", () -> f.server.guard().openFrom(local) == 19);
                try (KeepAlive again = new KeepAlive(f.server.port())) {
                    assertThat(again.get("/task_manager/list_modules").status()).isEqualTo(200);
                }
            } finally {
                held.forEach(KeepAlive::close);
            }
        }
    }

    @Test
    void pastTheTotalLimitANewClientWaitsUntilAConnectionCloses() {
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.maxConnections(10))) {
            List<KeepAlive> held = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    held.add(new KeepAlive(f.server.port()));
                }
                Await.until("10 connections are open", () -> f.server.openConnections() == 10);
                try (KeepAlive waiting = new KeepAlive(f.server.port())) {
                    waiting.send("GET /task_manager/list_modules HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    assertThat(f.server.openConnections()).isEqualTo(10);
                    held.remove(0).close();
                    assertThat(waiting.read().status()).isEqualTo(200);
                }
            } finally {
                held.forEach(KeepAlive::close);
            }
        }
    }
}

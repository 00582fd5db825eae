package dev.taskmanager.store;

import java.nio.file.Path;

/** The two engines every store test runs against. */
enum Engine {
    SQLITE, POSTGRES;

    /** A new, empty store location of this engine ({@code directory} holds a SQLite one). */
    Location newLocation(Path directory) {
        return this == SQLITE ? new Location(this, directory.resolve("history"), null)
                : new Location(this, null, Postgres.newDatabase());
    }

    Dialect dialect() {
        return this == SQLITE ? Dialect.Sqlite.INSTANCE : Dialect.Postgres.INSTANCE;
    }

    /** Where a store lives, so that a test can open it again. */
    record Location(Engine engine, Path directory, String url) {
        HistoryStore.Builder builder() {
            HistoryStore.Builder builder = HistoryStore.builder();
            return directory != null ? builder.sqlite(directory) : builder.postgres(url);
        }
    }
}

package dev.taskmanager.store;

import java.nio.file.Path;

/** The two engines every store test runs against. */
enum Engine {
    SQLITE, POSTGRES;

    /** A builder for a new, empty store of this engine ({@code directory} holds a SQLite one). */
    HistoryStore.Builder newStore(Path directory) {
        HistoryStore.Builder builder = HistoryStore.builder();
        return this == SQLITE ? builder.sqlite(directory.resolve("history")) : builder.postgres(Postgres.newDatabase());
    }
}

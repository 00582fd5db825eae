/**
 * Durable task history for a {@link dev.taskmanager.TaskManager}: {@link dev.taskmanager.store.HistoryStore}
 * records every task, finished or running, in SQLite (embedded, WAL) or PostgreSQL (pooled) through
 * one writer thread fed by a listener that only marks tasks dirty, recovers the tasks a crashed server
 * left unfinished, applies retention, and reads tasks back by id, as trees and as queries.
 *
 * <p>On PostgreSQL the store also makes its server a node of a fleet (docs/scaling.md):
 * {@link dev.taskmanager.store.Fleet} (lease, lost-node claims, aborts and waits across nodes by
 * {@code LISTEN/NOTIFY}), {@link dev.taskmanager.store.RemoteTask} (another node's task as a
 * {@link dev.taskmanager.Task}), {@link dev.taskmanager.store.FleetNode}, and the cluster task provider
 * ({@code ClusterTasks}).
 *
 * <p>Public: {@link dev.taskmanager.store.HistoryStore} (and its builder),
 * {@link dev.taskmanager.store.StoredTask}, {@link dev.taskmanager.store.StoreHealth},
 * {@link dev.taskmanager.store.HistoryStoreException}, and the fleet's types above. Everything else in
 * the package is the package-private engine: the listener ({@code Recorder}), the writer
 * ({@code Writer}), the row mapping ({@code TaskRows}) and what differs between the engines
 * ({@code Dialect}, {@code Database}). The
 * schema is in {@code resources/dev/taskmanager/store/migration}, one Flyway folder per engine;
 * docs/history.md explains it.
 */
package dev.taskmanager.store;

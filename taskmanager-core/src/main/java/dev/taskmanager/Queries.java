package dev.taskmanager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Evaluates {@link TaskQuery}s against the registry (docs/spec.md §22).
 *
 * <p>The candidates come from <em>sources</em>, each already in {@code (createdTime, id)} order: one
 * {@link TaskLog} scan per module and shard, the sorted live children of a parent when the query
 * names one, and the sorted matching tasks of each module's {@link ClusterTaskProvider}. In
 * {@link TaskQuery.Order#CREATED} order each log scan seeks straight past the cursor and the sources
 * are merged through a heap, so a page costs a binary search per log plus a scan of what the page
 * skips over. In {@link TaskQuery.Order#SEQUENCE} order every candidate is visited and the smallest
 * keys after the cursor are kept in a bounded heap.
 *
 * <p>Why paging is stable: keys are unique and never change, every source yields its tasks in key
 * order, and a log scan sees every task registered for the whole scan. So the tasks after the cursor
 * that existed throughout are all candidates of the next page, and a page never returns a key at or
 * before its cursor: no task that lived throughout is skipped or repeated.
 */
final class Queries {
    private Queries() {
    }

    /** One page of the tasks of {@code modules} that match {@code query}. */
    static TaskPage page(TaskManager manager, TaskQuery query, Collection<TaskModule> modules) {
        List<Source> sources = sources(manager, query, modules, true);
        Comparator<Source> order = comparator(query);
        List<TaskStats> tasks = new ArrayList<>(Math.min(query.limit(), 64));
        boolean more;
        if (query.order() == TaskQuery.Order.CREATED) {
            more = merge(sources, order, query.limit(), tasks);
        } else {
            more = smallest(sources, order, query, tasks);
        }
        TaskCursor next = more ? TaskCursor.after(tasks.get(tasks.size() - 1)) : null;
        return new TaskPage(tasks, next);
    }

    /** How many tasks of {@code modules} match {@code query}, ignoring its cursor and limit. */
    static long count(TaskManager manager, TaskQuery query, Collection<TaskModule> modules) {
        long count = 0;
        for (Source source : sources(manager, query.withCursor(null), modules, false)) {
            while (source.advance()) {
                count++;
            }
        }
        return count;
    }

    /** Takes candidates in key order until the page is full; true if another match follows. */
    private static boolean merge(List<Source> sources, Comparator<Source> order, int limit, List<TaskStats> out) {
        PriorityQueue<Source> heap = new PriorityQueue<>(Math.max(1, sources.size()), order);
        for (Source source : sources) {
            if (source.advance()) {
                heap.add(source);
            }
        }
        while (!heap.isEmpty()) {
            Source source = heap.poll();
            if (out.size() == limit) {
                return true;
            }
            out.add(source.stats());
            if (source.advance()) {
                heap.add(source);
            }
        }
        return false;
    }

    /** Keeps the {@code limit + 1} smallest keys after the cursor over every candidate; sorts them. */
    private static boolean smallest(List<Source> sources, Comparator<Source> order, TaskQuery query,
                                    List<TaskStats> out) {
        int keep = query.limit() + 1;
        Comparator<Candidate> byKey = (a, b) -> order.compare(a.key, b.key);
        PriorityQueue<Candidate> largestFirst = new PriorityQueue<>(Math.min(keep, 1024), byKey.reversed());
        KeyHolder probe = new KeyHolder();
        for (Source source : sources) {
            while (source.advance()) {
                probe.set(source);
                if (largestFirst.size() == keep && order.compare(probe, largestFirst.peek().key) >= 0) {
                    continue;
                }
                largestFirst.add(new Candidate(new KeyHolder().set(source), source.current()));
                if (largestFirst.size() > keep) {
                    largestFirst.poll();
                }
            }
        }
        List<Candidate> sorted = new ArrayList<>(largestFirst);
        sorted.sort(byKey);
        for (int i = 0; i < Math.min(query.limit(), sorted.size()); i++) {
            Object task = sorted.get(i).task;
            out.add(task instanceof TaskImpl ? ((TaskImpl) task).stats() : (TaskStats) task);
        }
        return sorted.size() > query.limit();
    }

    private static Comparator<Source> comparator(TaskQuery query) {
        Comparator<Source> byCreated = (a, b) -> {
            int c = Long.compare(a.created(), b.created());
            return c != 0 ? c : TaskCursor.compareIds(a.id(), b.id());
        };
        Comparator<Source> order = query.order() == TaskQuery.Order.CREATED ? byCreated
                : Comparator.comparingLong(Source::sequence).thenComparing(byCreated);
        return query.descending() ? order.reversed() : order;
    }

    /** Every source of candidates for {@code query}, each positioned before its first candidate. */
    private static List<Source> sources(TaskManager manager, TaskQuery query, Collection<TaskModule> modules,
                                        boolean seek) {
        long now = manager.tickNow();
        TaskCursor cursor = query.cursor();
        Comparator<Source> order = comparator(query);
        KeyHolder after = cursor == null ? null : new KeyHolder().set(cursor);
        List<Source> sources = new ArrayList<>();
        if (query.kind() != TaskKind.CLUSTER) {
            if (query.parent() != null) {
                manager.findRegistered(query.parent()).ifPresent(parent -> {
                    List<TaskImpl> children = parent.liveChildren();
                    children.removeIf(child -> !modules.contains(child.module));
                    children.sort(Comparator.comparingLong((TaskImpl t) -> t.createdEpochNanos)
                            .thenComparing((a, b) -> TaskCursor.compareIds(a.id, b.id)));
                    if (query.descending()) {
                        java.util.Collections.reverse(children);
                    }
                    sources.add(new ListSource<>(children, query, now, after, order));
                });
            } else {
                boolean createdOrder = query.order() == TaskQuery.Order.CREATED;
                for (TaskModule module : modules) {
                    for (TaskLog log : module.logs()) {
                        TaskLog.Scan scan = seek && createdOrder && cursor != null
                                ? log.scanAfter(EpochNanos.of(cursor.createdTime()), cursor.id(), query.descending())
                                : log.scan(query.descending());
                        sources.add(new LogSource(scan, query, now, createdOrder ? null : after, order));
                    }
                }
            }
        }
        if (query.kind() != TaskKind.NODE) {
            for (TaskModule module : modules) {
                ClusterTaskProvider provider = module.clusterTasks();
                if (provider == null) {
                    continue;
                }
                List<TaskStats> matching = new ArrayList<>();
                provider.tasks().filter(query::matches).forEach(matching::add);
                matching.sort(Comparator.comparingLong((TaskStats t) -> createdNanos(t))
                        .thenComparing((a, b) -> TaskCursor.compareIds(a.id(), b.id())));
                if (query.descending()) {
                    java.util.Collections.reverse(matching);
                }
                sources.add(new ListSource<>(matching, query, now, after, order));
            }
        }
        return sources;
    }

    /** A cluster task's creation time for ordering: unknown sorts as the epoch. */
    static long createdNanos(TaskStats stats) {
        long created = EpochNanos.of(stats.createdTime());
        return created == EpochNanos.UNSET ? 0 : created;
    }

    /** Whether a live task passes the query's filters, reading each field once. */
    static boolean matches(TaskQuery query, TaskImpl task) {
        if (query.module() != null && !query.module().equals(task.module.name())) {
            return false;
        }
        int c = task.ctl();
        return query.matches(TaskImpl.publicState(c), task.abortRequestIn(c) != null, task.isStalled(c), task.type,
                TaskKind.NODE, task.scope, task.keyspace, task.table, task.entity,
                task.parent == null ? null : task.parent.id, task.labels, task.createdEpochNanos, task.endIn(c),
                task.isUserTask(), task.isInternal());
    }

    /** The ordering key of a source's current candidate, or of a cursor. */
    private static class Keyed {
        long created;
        UUID id;
        long sequence;

        long created() {
            return created;
        }

        UUID id() {
            return id;
        }

        long sequence() {
            return sequence;
        }
    }

    /** A key held apart from its source, comparable with sources through the same comparator. */
    private static final class KeyHolder extends Source {
        KeyHolder set(Source source) {
            created = source.created;
            id = source.id;
            sequence = source.sequence;
            return this;
        }

        KeyHolder set(TaskCursor cursor) {
            created = EpochNanos.of(cursor.createdTime());
            id = cursor.id();
            sequence = cursor.sequenceNumber();
            return this;
        }

        @Override
        boolean advance() {
            throw new UnsupportedOperationException();
        }

        @Override
        Object current() {
            throw new UnsupportedOperationException();
        }

        @Override
        TaskStats stats() {
            throw new UnsupportedOperationException();
        }
    }

    /** A candidate kept for a {@code SEQUENCE} page. */
    private static final class Candidate {
        final KeyHolder key;
        final Object task;

        Candidate(KeyHolder key, Object task) {
            this.key = key;
            this.task = task;
        }
    }

    /**
     * Yields matching candidates in key order; {@link #advance()} moves to the next one after the
     * cursor that passes the filters.
     */
    private abstract static class Source extends Keyed {
        abstract boolean advance();

        /** The current candidate: a {@link TaskImpl} or a {@link TaskStats}. */
        abstract Object current();

        abstract TaskStats stats();
    }

    /** The tasks of one log, skipping those past their TTL and those at or before the cursor. */
    private static final class LogSource extends Source {
        private final TaskLog.Scan scan;
        private final TaskQuery query;
        private final long now;
        private final KeyHolder after;
        private final Comparator<Source> order;
        private TaskImpl current;

        LogSource(TaskLog.Scan scan, TaskQuery query, long now, KeyHolder after, Comparator<Source> order) {
            this.scan = scan;
            this.query = query;
            this.now = now;
            this.after = after;
            this.order = order;
        }

        @Override
        boolean advance() {
            while (scan.hasNext()) {
                TaskImpl task = scan.next();
                if (Expiry.isExpired(task, now) || !matches(query, task)) {
                    continue;
                }
                created = task.createdEpochNanos;
                id = task.id;
                sequence = task.sequenceNumber;
                if (after != null && order.compare(this, after) <= 0) {
                    continue;
                }
                current = task;
                return true;
            }
            current = null;
            return false;
        }

        @Override
        Object current() {
            return current;
        }

        @Override
        TaskStats stats() {
            return current.stats();
        }
    }

    /** A sorted list of live tasks or cluster summaries. */
    private static final class ListSource<T> extends Source {
        private final List<T> items;
        private final TaskQuery query;
        private final long now;
        private final KeyHolder after;
        private final Comparator<Source> order;
        private int next;
        private T current;

        ListSource(List<T> items, TaskQuery query, long now, KeyHolder after, Comparator<Source> order) {
            this.items = items;
            this.query = query;
            this.now = now;
            this.after = after;
            this.order = order;
        }

        @Override
        boolean advance() {
            while (next < items.size()) {
                T item = items.get(next++);
                if (item instanceof TaskImpl) {
                    TaskImpl task = (TaskImpl) item;
                    if (Expiry.isExpired(task, now) || !matches(query, task)) {
                        continue;
                    }
                    created = task.createdEpochNanos;
                    id = task.id;
                    sequence = task.sequenceNumber;
                } else {
                    TaskStats stats = (TaskStats) item;
                    created = createdNanos(stats);
                    id = stats.id();
                    sequence = stats.sequenceNumber();
                }
                if (after != null && order.compare(this, after) <= 0) {
                    continue;
                }
                current = item;
                return true;
            }
            current = null;
            return false;
        }

        @Override
        Object current() {
            return current;
        }

        @Override
        TaskStats stats() {
            return current instanceof TaskImpl ? ((TaskImpl) current).stats() : (TaskStats) current;
        }
    }
}

package dev.taskmanager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Evaluates {@link TaskQuery}s against the registry (SPEC §22).
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
        List<TaskStats> tasks = new ArrayList<>(Math.min(query.limit(), 64));
        boolean more;
        if (query.order() == TaskQuery.Order.CREATED) {
            more = merge(sources, query.descending(), query.limit(), tasks);
        } else {
            more = smallest(sources, comparator(query), query, tasks);
        }
        TaskCursor next = more ? TaskCursor.after(tasks.get(tasks.size() - 1)) : null;
        return new TaskPage(tasks, next);
    }

    /** How many tasks of {@code modules} match {@code query}, ignoring its cursor and limit. */
    static long count(TaskManager manager, TaskQuery query, Collection<TaskModule> modules) {
        long count = 0;
        for (Source source : sources(manager, query.withCursor(null), modules, false)) {
            while (source.advance()) {
                if (source.matches()) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Takes entries in key order across the sources, keeping those that match, until the page is
     * full; true if another match follows. Sources advance one entry at a time, so the work is the
     * number of entries in the key range the page spans, whatever the filter: a source with no
     * match left is not scanned to its end.
     */
    private static boolean merge(List<Source> sources, boolean descending, int limit, List<TaskStats> out) {
        SourceHeap heap = new SourceHeap(sources.size(), descending);
        for (Source source : sources) {
            if (source.advance()) {
                heap.add(source);
            }
        }
        while (heap.size() > 0) {
            Source source = heap.top();
            if (source.matches()) {
                if (out.size() == limit) {
                    return true;
                }
                out.add(source.stats());
            }
            if (source.advance()) {
                heap.siftTop();
            } else {
                heap.removeTop();
            }
        }
        return false;
    }

    /**
     * A binary heap of sources by their current {@code (createdTime, id)} key, smallest first (largest
     * first when descending), with an in-place replace of the top. Compares directly rather than
     * through a {@link Comparator}: it runs once or twice per entry a page scans.
     */
    private static final class SourceHeap {
        private final Source[] heap;
        private final int sign;
        private int size;

        SourceHeap(int capacity, boolean descending) {
            this.heap = new Source[Math.max(1, capacity)];
            this.sign = descending ? -1 : 1;
        }

        private int compare(Source a, Source b) {
            int c = Long.compare(a.created, b.created);
            return sign * (c != 0 ? c : TaskCursor.compareIds(a.id(), b.id()));
        }

        int size() {
            return size;
        }

        Source top() {
            return heap[0];
        }

        void add(Source source) {
            int i = size++;
            heap[i] = source;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (compare(heap[i], heap[parent]) >= 0) {
                    break;
                }
                swap(i, parent);
                i = parent;
            }
        }

        /** Restores the order after the top's key grew. */
        void siftTop() {
            int i = 0;
            for (;;) {
                int left = 2 * i + 1;
                if (left >= size) {
                    return;
                }
                int smallest = left + 1 < size && compare(heap[left + 1], heap[left]) < 0 ? left + 1 : left;
                if (compare(heap[smallest], heap[i]) >= 0) {
                    return;
                }
                swap(i, smallest);
                i = smallest;
            }
        }

        void removeTop() {
            heap[0] = heap[--size];
            heap[size] = null;
            siftTop();
        }

        private void swap(int a, int b) {
            Source t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
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
                if (!source.matches()) {
                    continue;
                }
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
        // registered tasks: node-kind ones, and the cluster tasks this node coordinates (matches checks the kind)
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
                    TaskLog.Scan scan = (seek && createdOrder && cursor != null
                            ? log.scanAfter(EpochNanos.of(cursor.createdTime()), cursor.id(), query.descending())
                            : log.scan(query.descending())).skipUnless(IndexKey.maskOf(query),
                            IndexKey.valueOf(query));
                    sources.add(new LogSource(scan, query, now, createdOrder ? null : after, order));
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
                provider.tasks().filter(query::matches).forEach(matching::add); // few: filtered up front
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

    /**
     * Whether a live task passes the query's filters. Reads only the fields the query filters on,
     * cheapest and most selective first: a scan calls this for every task in its key range.
     */
    static boolean matches(TaskQuery query, TaskImpl task) {
        if ((!query.includeInternal() && task.isInternal())
                || (query.module() != null && !query.module().equals(task.module.name()))
                || (query.type() != null && !query.type().equals(task.type))
                || (query.kind() != null && query.kind() != task.kind())
                || (query.scope() != null && !query.scope().equals(task.scope))
                || (query.keyspace() != null && !query.keyspace().equals(task.keyspace))
                || (query.table() != null && !query.table().equals(task.table))
                || (query.entityPrefix() != null && !task.entity.startsWith(query.entityPrefix()))
                || (query.parent() != null && !query.parent().equals(task.parentId()))
                || (query.userTask() != null && query.userTask() != task.isUserTask())
                || !query.selectsCreated(task.createdEpochNanos)) {
            return false;
        }
        int c = task.ctl();
        if (!query.states().isEmpty()
                && !query.selectsState(TaskImpl.publicState(c), task.abortRequestIn(c) != null, task.isStalled(c))) {
            return false;
        }
        return query.selectsFinished(task.endIn(c)) && query.selectsLabels(task.labels);
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
            created = source.created();
            id = source.id();
            sequence = source.sequence();
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
        boolean matches() {
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

    /** Yields the registered entries after the cursor in key order; filters are checked apart. */
    private abstract static class Source extends Keyed {
        /** Moves to the next entry after the cursor that is still registered; false at the end. */
        abstract boolean advance();

        /** The current entry: a {@link TaskImpl} or a {@link TaskStats}. */
        abstract Object current();

        /** Whether the current entry passes the query's filters. */
        abstract boolean matches();

        abstract TaskStats stats();
    }

    /**
     * The tasks of one log, skipping those at or before the cursor. Reads the task object only for
     * what the log's arrays cannot tell: the scan steps over tasks whose {@link IndexKey} rules them
     * out reading their keys alone (stopping once per chunk, so a merge never runs far past the page);
     * a task's id and sequence number are read only when an ordering needs them, its TTL and
     * remaining filters only when its key lets it match.
     */
    private static final class LogSource extends Source {
        private final TaskLog.Scan scan;
        private final TaskQuery query;
        private final long now;
        private final KeyHolder after;
        private final Comparator<Source> order;
        private final long mask;
        private final long value;
        private TaskImpl current;
        private long currentKey;

        LogSource(TaskLog.Scan scan, TaskQuery query, long now, KeyHolder after, Comparator<Source> order) {
            this.scan = scan;
            this.query = query;
            this.now = now;
            this.after = after;
            this.order = order;
            this.mask = IndexKey.maskOf(query);
            this.value = IndexKey.valueOf(query);
        }

        @Override
        boolean advance() {
            while (scan.hasNext()) {
                current = scan.next();
                created = scan.stamp();
                currentKey = scan.key();
                if (after != null && order.compare(this, after) <= 0) {
                    continue;
                }
                return true;
            }
            current = null;
            return false;
        }

        @Override
        UUID id() {
            return current.id;
        }

        @Override
        long sequence() {
            return current.sequenceNumber;
        }

        @Override
        Object current() {
            return current;
        }

        @Override
        boolean matches() {
            return (currentKey & mask) == value && !Expiry.isExpired(current, now) && Queries.matches(query, current);
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
                    if (Expiry.isExpired(task, now)) {
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
        boolean matches() {
            return current instanceof TaskImpl ? Queries.matches(query, (TaskImpl) current)
                    : query.matches((TaskStats) current);
        }

        @Override
        TaskStats stats() {
            return current instanceof TaskImpl ? ((TaskImpl) current).stats() : (TaskStats) current;
        }
    }
}

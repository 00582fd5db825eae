package dev.taskmanager.server;

import dev.taskmanager.AbortRequest;
import dev.taskmanager.Task;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.Ticker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the core's task changes into the events of the shared {@link EventLog}.
 *
 * <p><b>On the task's thread</b> the {@linkplain #listener listener} takes the task's snapshot (what
 * {@code data} shows: the task right after the change; {@code finished} carries the final snapshot the
 * core hands over) and queues it on a lock-free queue, making sure the dispatcher will run. A progress
 * report takes no snapshot: it queues the task only when nothing is queued or waiting for it
 * already (otherwise it is a map lookup and a volatile read). Nothing there depends on how many clients there are, nothing
 * blocks, nothing is rendered. The queue is bounded ({@value #MAX_PENDING_CHANGES}); a change that finds it full
 * is dropped, and the next drain appends a {@code reset} so that every client re-lists.
 *
 * <p><b>On the dispatcher</b> (one thread, {@link #drain}) each change becomes an event: it gets the
 * next id, its frame is rendered once, and it is appended to the log with what filters need (module,
 * states, ancestors).
 *
 * <p><b>Progress</b> is coalesced per task: at most one progress event per interval
 * ({@code 1 / progressPerSecond}); a report within the interval marks the task pending, and one
 * timer per dispatcher (not per task) emits the newest state (a snapshot taken then) when the
 * interval has passed. A task's
 * progress event is also due when anything in its subtree changes, since its progress and
 * {@code updated_time} include its children's. Progress events are sent for running tasks only; a
 * pending one is flushed (with the final snapshot) right before the task's {@code finished}, and none
 * follows it.
 *
 * <p><b>Order.</b> A task's events follow its life: {@code created}, {@code started}, progress,
 * {@code finished}, {@code unregistered}. The core notifies a child that folds into its parent of
 * its unregistration <em>before</em> its end ({@code TaskImpl.afterFinish} folds, then notifies), so an
 * ended child's {@code unregistered} is held until its {@code finished} has been sent. The feed knows
 * which children it already sent {@code finished} for (those still registered: few, since finished
 * children fold); a held unregistration whose {@code finished} never comes (the child ended before
 * the stream started) is sent after {@value #HOLD_SECONDS} second.
 *
 * <p><b>Ancestors</b> of each task are found once per parent and cached by parent id (the cache
 * holds registered parents, at most {@value #MAX_LINEAGE}, and forgets a parent when it is
 * unregistered), so the {@code task} filter is a scan of a short array per event.
 */
final class EventFeed {
    private static final System.Logger LOG = System.getLogger(EventFeed.class.getName());

    /** Changes rendered per drain before clients are woken and the drain goes round again. */
    static final int CHANGES_PER_DRAIN = 4096;
    /**
     * The most changes queued for the dispatcher (each holds a snapshot, about a kilobyte): a burst
     * of about 50 ms of its rendering. Past it changes are dropped and clients reset.
     */
    static final int MAX_PENDING_CHANGES = 16_384;
    /** How long an ended child's unregistration waits for its finished event, at most. */
    static final int HOLD_SECONDS = 1;
    /** The most parents whose ancestors are cached; past it they are looked up each time. */
    static final int MAX_LINEAGE = 100_000;

    private final TaskManager taskManager;
    private final String node;
    private final EventLog log;
    private final Ticker ticker;
    private final long progressInterval;
    private final Runnable onAppended;
    private final EventFrames frames = new EventFrames();

    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicLong lostCount = new AtomicLong();
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Per task that reports progress or has a subtree that changes; the listener reads it too. */
    private final Map<UUID, ProgressSlot> progress = new ConcurrentHashMap<>();

    // ---- the dispatcher's own state
    private final PriorityQueue<ProgressSlot> waiting = new PriorityQueue<>(Comparator.comparingLong(s -> s.due));
    private final Map<UUID, Lineage> lineage = new HashMap<>();
    /** Ended children whose finished event was sent and that are still registered. */
    private final Set<UUID> finishedChildren = new HashSet<>();
    /** Unregistrations of ended children waiting for their finished event, in arrival order. */
    private final Map<UUID, Held> held = new LinkedHashMap<>();
    private EventTimer.Cancel wakeup;
    private long wakeupAt;

    private volatile Executor dispatcher;
    private volatile EventTimer timer;

    /**
     * @param onAppended run on the dispatcher after a drain appended events: wakes the clients
     */
    EventFeed(TaskManager taskManager, String node, EventLog log, EventSettings settings, Runnable onAppended) {
        this.taskManager = taskManager;
        this.node = node;
        this.log = log;
        this.ticker = settings.ticker();
        this.progressInterval = settings.progressIntervalNanos();
        this.onAppended = onAppended;
    }

    /** What the listener queues for the dispatcher: a snapshot, or for progress the task's slot. */
    private static final class Change {
        final EventType type;
        final TaskStatus status;
        final ProgressSlot slot;

        Change(EventType type, TaskStatus status, ProgressSlot slot) {
            this.type = type;
            this.status = status;
            this.slot = slot;
        }
    }

    /**
     * The coalescing state of one task's progress events. {@code state} says whether a report must
     * be queued: only when {@code IDLE}; while a change is {@code QUEUED} or the task is
     * {@code WAITING} for its interval, the snapshot taken when the event goes out will show the
     * report, so the task's thread does nothing more. The dispatcher sets {@code IDLE} before it takes
     * a snapshot, so a report after the snapshot always queues again.
     */
    private static final class ProgressSlot {
        static final int IDLE = 0;
        static final int QUEUED = 1;
        static final int WAITING = 2;

        final Task task;
        final AtomicInteger state = new AtomicInteger(IDLE);
        // dispatcher only:
        boolean closed;
        boolean heldForFinish;
        boolean emitted;
        long lastEmitted;
        long due;

        ProgressSlot(Task task) {
            this.task = task;
        }
    }

    /** An unregistration held until its task's finished event. */
    private static final class Held {
        final TaskStatus status;
        final long since;

        Held(TaskStatus status, long since) {
            this.status = status;
            this.since = since;
        }
    }

    /** A task's ancestors, nearest last: their ids for filters and their handles for derived progress. */
    private static final class Lineage {
        static final Lineage NONE = new Lineage(Event.NO_ANCESTORS, new Task[0]);

        final UUID[] ids;
        final Task[] tasks;

        Lineage(UUID[] ids, Task[] tasks) {
            this.ids = ids;
            this.tasks = tasks;
        }

        Lineage plus(Task task) {
            UUID[] moreIds = Arrays.copyOf(ids, ids.length + 1);
            moreIds[ids.length] = task.id();
            Task[] moreTasks = Arrays.copyOf(tasks, tasks.length + 1);
            moreTasks[tasks.length] = task;
            return new Lineage(moreIds, moreTasks);
        }
    }

    // ---------------------------------------------------------------- the task's thread

    /** Observes the task manager; registered from {@link #start} to {@link #stop}. */
    final TaskListener listener = new TaskListener() {
        @Override
        public void onCreated(Task task) {
            offer(new Change(EventType.CREATED, task.status(), null));
        }

        @Override
        public void onStarted(Task task) {
            offer(new Change(EventType.STARTED, task.status(), null));
        }

        @Override
        public void onProgress(Task task) {
            ProgressSlot slot = progress.get(task.id());
            if (slot == null) {
                slot = progress.computeIfAbsent(task.id(), id -> new ProgressSlot(task));
            }
            if (slot.state.get() == ProgressSlot.IDLE && slot.state.compareAndSet(ProgressSlot.IDLE, ProgressSlot.QUEUED)
                    && !offer(new Change(EventType.PROGRESS, null, slot))) {
                slot.state.set(ProgressSlot.IDLE);
            }
        }

        @Override
        public void onAbortRequested(Task task, AbortRequest request) {
            offer(new Change(EventType.ABORT_REQUESTED, task.status(), null));
        }

        @Override
        public void onStalled(Task task) {
            offer(new Change(EventType.STALLED, task.status(), null));
        }

        @Override
        public void onRecovered(Task task) {
            offer(new Change(EventType.RECOVERED, task.status(), null));
        }

        @Override
        public void onFinished(TaskStatus status) {
            offer(new Change(EventType.FINISHED, status, null));
        }

        @Override
        public void onUnregistered(Task task) {
            offer(new Change(EventType.UNREGISTERED, task.status(), null));
        }
    };

    /** Queues a change, or drops it (and owes the clients a reset) when the queue is full. */
    private boolean offer(Change change) {
        if (pending.incrementAndGet() > MAX_PENDING_CHANGES) {
            pending.decrementAndGet();
            lostCount.incrementAndGet();
            lost.set(true);
            requestDrain();
            return false;
        }
        changes.offer(change);
        requestDrain();
        return true;
    }

    /** Makes sure a drain runs after this call; from any thread. */
    void requestDrain() {
        if (drainRequested.get() || !drainRequested.compareAndSet(false, true)) {
            return;
        }
        Executor executor = dispatcher;
        if (executor == null) {
            drainRequested.set(false);
            return;
        }
        try {
            executor.execute(drainTask);
        } catch (RejectedExecutionException e) {
            drainRequested.set(false); // stopping
        }
    }

    // ---------------------------------------------------------------- life cycle

    /** Starts listening, drains on {@code executor} (a single thread) and times progress on {@code timer}. */
    void start(Executor executor, EventTimer eventTimer) {
        this.timer = eventTimer;
        this.dispatcher = executor;
        taskManager.addListener(listener);
    }

    /** Stops listening; changes still queued are drained if the executor still runs. */
    void stop() {
        taskManager.removeListener(listener);
        requestDrain();
        dispatcher = null;
    }

    // ---------------------------------------------------------------- the dispatcher

    /** Renders queued changes and due progress into the log, then wakes the clients. */
    private void drain() {
        drainRequested.set(false);
        long before = log.head();
        try {
            if (lost.getAndSet(false)) {
                forgetAll();
                appendReset("events were dropped: tasks changed faster than the server could send events");
            }
            int n = 0;
            Change change;
            while (n < CHANGES_PER_DRAIN && (change = changes.poll()) != null) {
                pending.decrementAndGet();
                n++;
                try {
                    apply(change);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Cannot render a " + change.type.wireName + " event", e);
                }
            }
            long now = ticker.read();
            flushDueProgress(now);
            releaseStaleHolds(now);
            if (!changes.isEmpty()) {
                requestDrain();
            }
            scheduleWakeup();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Event stream dispatch failed; it runs again at the next change", e);
        } finally {
            if (log.head() != before) {
                onAppended.run();
            }
        }
    }

    private void apply(Change change) {
        switch (change.type) {
            case PROGRESS:
                requestProgress(change.slot, ticker.read());
                break;
            case FINISHED:
                TaskStatus last = change.status;
                ProgressSlot finishing = progress.remove(last.id());
                if (finishing != null) {
                    finishing.closed = true;
                    if (finishing.state.get() != ProgressSlot.IDLE || finishing.heldForFinish) {
                        emit(EventType.PROGRESS, last); // the pending progress is never lost
                    }
                }
                emit(EventType.FINISHED, last);
                Held unregistered = held.remove(last.id());
                if (unregistered != null) {
                    unregister(unregistered.status);
                } else if (last.parentId() != null) {
                    finishedChildren.add(last.id());
                }
                break;
            case UNREGISTERED:
                TaskStatus gone = change.status;
                if (gone.parentId() != null && gone.state().isTerminal() && !finishedChildren.remove(gone.id())) {
                    held.put(gone.id(), new Held(gone, ticker.read())); // its finished event follows
                } else {
                    unregister(gone);
                }
                break;
            default:
                emit(change.type, change.status);
        }
    }

    private void unregister(TaskStatus gone) {
        ProgressSlot left = progress.remove(gone.id());
        if (left != null) {
            left.closed = true;
        }
        emit(EventType.UNREGISTERED, gone);
        lineage.remove(gone.id());
    }

    /** Sends the held unregistrations whose finished event did not come within {@link #HOLD_SECONDS}. */
    private void releaseStaleHolds(long now) {
        Iterator<Held> holds = held.values().iterator();
        while (holds.hasNext()) {
            Held hold = holds.next();
            if (now - hold.since < TimeUnit.SECONDS.toNanos(HOLD_SECONDS)) {
                return;
            }
            holds.remove();
            unregister(hold.status);
        }
    }

    /** Emits the task's progress now if its interval has passed, else makes it wait for the timer. */
    private void requestProgress(ProgressSlot slot, long now) {
        if (slot.closed || slot.state.get() == ProgressSlot.WAITING) {
            return; // gone, or due at its time anyway
        }
        if (slot.emitted && now - slot.lastEmitted < progressInterval) {
            slot.state.set(ProgressSlot.WAITING);
            slot.due = slot.lastEmitted + progressInterval;
            waiting.add(slot);
            return;
        }
        emitProgress(slot, now);
    }

    private void emitProgress(ProgressSlot slot, long now) {
        slot.state.set(ProgressSlot.IDLE); // before the snapshot: a later report queues again
        TaskStatus status = slot.task.status();
        if (status.state().isTerminal()) {
            slot.heldForFinish = true; // its finished event flushes it
            return;
        }
        if (status.state() != TaskState.RUNNING) {
            return; // its started event shows it
        }
        slot.emitted = true;
        slot.lastEmitted = now;
        emit(EventType.PROGRESS, status);
    }

    private void flushDueProgress(long now) {
        ProgressSlot slot;
        while ((slot = waiting.peek()) != null && slot.due - now <= 0) {
            waiting.poll();
            if (!slot.closed) {
                emitProgress(slot, now);
            }
        }
    }

    /** Keeps one timer for the earliest waiting progress event. */
    private void scheduleWakeup() {
        ProgressSlot first = waiting.peek();
        if (first == null) {
            return;
        }
        long now = ticker.read();
        boolean pendingWakeup = wakeup != null && wakeupAt - now > 0;
        if (pendingWakeup && wakeupAt - first.due <= 0) {
            return; // the timer already set fires in time
        }
        if (wakeup != null) {
            wakeup.cancel();
        }
        EventTimer t = timer;
        if (t == null) {
            return;
        }
        wakeupAt = first.due;
        wakeup = t.schedule(this::requestDrain, Math.max(0, first.due - now));
    }

    /** Appends the event of a task change and marks the task's running ancestors' progress due. */
    private void emit(EventType type, TaskStatus status) {
        Lineage ancestors = lineageOf(status.parentId());
        long id = log.nextId();
        log.append(new Event(id, type, status.id(), status.module(), ancestors.ids, EventFilter.states(status),
                frames.task(id, type, status, node)));
        if (ancestors.tasks.length > 0) {
            long now = ticker.read();
            for (Task ancestor : ancestors.tasks) {
                if (ancestor.state() == TaskState.RUNNING) {
                    ProgressSlot slot = progress.computeIfAbsent(ancestor.id(), key -> new ProgressSlot(ancestor));
                    if (!slot.closed) {
                        requestProgress(slot, now);
                    }
                }
            }
        }
    }

    private void appendReset(String reason) {
        long id = log.nextId();
        log.append(new Event(id, EventType.RESET, null, null, Event.NO_ANCESTORS, 0, EventFrames.reset(id, reason)));
    }

    /**
     * The ancestors of a task whose parent is {@code parentId}: walked up the registry once per parent
     * and cached. A parent no longer registered is known by its id only (its own ancestors are lost).
     */
    private Lineage lineageOf(UUID parentId) {
        if (parentId == null) {
            return Lineage.NONE;
        }
        List<Task> unknown = new ArrayList<>(2);
        Lineage base = Lineage.NONE;
        for (UUID id = parentId; id != null; ) {
            Lineage cached = lineage.get(id);
            if (cached != null) {
                base = cached;
                break;
            }
            Optional<Task> task = taskManager.find(id);
            if (task.isEmpty()) {
                base = new Lineage(new UUID[]{id}, new Task[0]);
                break;
            }
            unknown.add(task.get());
            id = task.get().stats().parentId();
        }
        Lineage current = base;
        for (int i = unknown.size() - 1; i >= 0; i--) {
            Task task = unknown.get(i);
            current = current.plus(task);
            if (lineage.size() < MAX_LINEAGE) {
                lineage.put(task.id(), current);
            }
        }
        return current;
    }

    /**
     * After dropped changes: forget what they may have left behind (a slot or a cached parent whose
     * end was dropped would be kept for ever). Clients re-list after the reset that follows.
     */
    private void forgetAll() {
        for (ProgressSlot slot : progress.values()) {
            slot.closed = true;
        }
        progress.clear();
        waiting.clear();
        lineage.clear();
        finishedChildren.clear();
        held.clear();
    }

    // ---------------------------------------------------------------- for tests

    /** How many changes were dropped because the queue was full. */
    long lostChanges() {
        return lostCount.get();
    }

    /** How many changes wait for the dispatcher. */
    int pendingChanges() {
        return pending.get();
    }

    /** How many parents have their ancestors cached now. */
    int lineageSize() {
        return lineage.size();
    }

    /** How many ended children are remembered or held for ordering now. */
    int orderingState() {
        return finishedChildren.size() + held.size();
    }

    /** How many tasks have coalescing state now. */
    int progressSlots() {
        return progress.size();
    }
}

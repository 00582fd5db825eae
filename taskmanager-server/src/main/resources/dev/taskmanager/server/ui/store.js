// The newest state of each task the page has seen. Tasks reach the page two ways, answers to list
// requests and events from the stream, in no fixed order; each carries updated_time (RFC 3339 with
// nine fraction digits, so its text sorts like the instant), and the newer one wins.

/** Whether `a` is at least as recent as `b` (an absent `b` is older than anything). */
export function atLeastAsNew(a, b) {
  return !b || (a.updated_time || '') >= (b.updated_time || '');
}

/**
 * The tasks seen on the event stream recently, bounded: a list answer that left the server before an
 * event was applied must not undo it, so each task of an answer is replaced by a strictly newer one
 * seen here.
 */
export class RecentTasks {
  constructor(limit = 5000) {
    this.limit = limit;
    this.tasks = new Map();
  }

  remember(task) {
    const known = this.tasks.get(task.id);
    if (known && !atLeastAsNew(task, known)) return;
    this.tasks.delete(task.id);
    this.tasks.set(task.id, task);
    if (this.tasks.size > this.limit) this.tasks.delete(this.tasks.keys().next().value);
  }

  /** The newest of `task` and what the stream said about it. */
  newest(task) {
    const seen = this.tasks.get(task.id);
    return seen && (seen.updated_time || '') > (task.updated_time || '') ? seen : task;
  }

  forget(id) {
    this.tasks.delete(id);
  }

  clear() {
    this.tasks.clear();
  }
}

/** Whether a task has ended. */
export function isTerminal(task) {
  return task.state === 'done' || task.state === 'failed' || task.state === 'aborted';
}

/** Whether the dashboard offers to abort it: abortable, not ended, not already asked to. */
export function canAbort(task) {
  return task.abortable && (task.state === 'created' || task.state === 'running') && !task.abort_requested;
}

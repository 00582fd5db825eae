// Pieces both pages show: state badges, progress bars, times, labels.

import {h, fragment} from './dom.js';
import {uiRoot, query} from './api.js';
import * as fmt from './format.js';

/** The filter states of GET /v2/tasks, in the order the page lists them. */
export const STATES = ['created', 'running', 'stalled', 'abort_requested', 'done', 'failed', 'aborted'];
export const STATE_NAMES = {
  created: 'created', running: 'running', stalled: 'stalled', abort_requested: 'abort requested',
  done: 'done', failed: 'failed', aborted: 'aborted',
};

/** The task's state, plus "stalled" and "abort requested" while they hold. */
export function badges(task) {
  return fragment(
    h('span', {class: `badge state-${task.state}`}, STATE_NAMES[task.state] || task.state),
    task.stalled ? h('span', {class: 'badge stalled', title: 'No progress for the task\'s stall threshold'}, 'stalled') : null,
    task.abort_requested ? h('span', {class: 'badge abort-requested',
      title: task.abort && task.abort.reason ? `Reason: ${task.abort.reason}` : null}, 'abort requested') : null);
}

/** A time in local time, with UTC on hover; a dash when absent. */
export function time(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  return h('time', {datetime: iso, title: fmt.utcTime(iso)}, fmt.localTime(iso));
}

/** "type entity", the way a task is named on the page. */
export function taskName(task) {
  return task.entity ? `${task.type} ${task.entity}` : task.type;
}

/** A progress bar with its text, e.g. "52.4 MiB of 100.0 MiB (50%)". */
export function progress(task) {
  const p = task.progress || {completed: 0, total: 0, units: ''};
  const share = fmt.percent(p);
  const text = fmt.progressText(p);
  const ended = task.state === 'done' || task.state === 'failed' || task.state === 'aborted';
  const bar = h('progress', {max: 100, 'aria-label': `Progress of ${taskName(task)}`,
    'aria-valuetext': text || null});
  if (share !== null) bar.value = share;
  else if (ended) bar.value = task.state === 'done' ? 100 : 0;
  return h('div', {class: `progress${share === null && !ended ? ' unknown' : ''}`,
    dataset: {completed: String(p.completed), total: String(p.total)}},
  bar, h('span', {class: 'progress-text'}, text || (ended ? '' : 'starting')));
}

/** "1.0 MiB/s · 50 s left" while running; '' otherwise. */
export function rateEta(task) {
  if (task.state !== 'running') return '';
  return [fmt.rate(task.progress), fmt.eta(task.progress)].filter(Boolean).join(' · ');
}

/** The task's labels as links that list the tasks carrying the same label. */
export function labelChips(labels) {
  const entries = Object.entries(labels || {});
  if (entries.length === 0) return null;
  return h('ul', {class: 'labels', 'aria-label': 'Labels'}, entries.map(([key, value]) => h('li', null,
    h('a', {class: 'label', href: uiRoot + query({label: `${key}:${value}`}), title: `Tasks labelled ${key}:${value}`},
      h('span', {class: 'label-key'}, key), h('span', {class: 'label-value'}, value)))));
}

/** The link to a task's page. */
export function taskHref(id) {
  return `${uiRoot}tasks/${encodeURIComponent(id)}`;
}

/** A message for a failed request, saying what the server said. */
export function describeError(error) {
  if (error instanceof TypeError) return 'Could not reach the server; check that it is running.';
  return error.message;
}

// /ui/tasks/{id}: one task, its details and its tree (GET /v2/tasks/{id}?view=tree). The tree folds:
// only the root and the paths to failed tasks start open, and a node lists its children a hundred at a
// time. Events of the task's subtree update nodes in place and add new children; when the task ends
// the tree is read again, since finished children fold into their parents.

import {ApiError, get, uiRoot} from './api.js';
import {h, replace} from './dom.js';
import * as fmt from './format.js';
import {atLeastAsNew, canAbort, isTerminal} from './store.js';
import {badges, describeError, labelChips, progress, rateEta, taskHref, taskName, time} from './widgets.js';
import {openAbortDialog} from './abort-dialog.js';

const CHILDREN_PER_STEP = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STREAM_GRACE_MS = 300;
const FLUSH_MS = 50;

export function mountTask(main, id, ctx) {
  main.dataset.view = 'task';
  /** id -> {task, children: [ids], expanded: true|false|undefined (the default), shown, depth, el} */
  let nodes = new Map();
  let failurePath = new Set();
  let destroyed = false;
  let rendered = false;
  let loading = false;
  let loadAgain = false;
  let reloadTimer = null;
  let flushTimer = null;
  const dirtyRows = new Set();
  const dirtySubtrees = new Set();
  const expandedByReader = new Map();
  const waits = new AbortController();

  const crumbs = h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'});
  const title = h('h1', {id: 'task-title'}, 'Task');
  const badgeLine = h('p', {class: 'task-badges'});
  const notice = h('div', {class: 'banner', role: 'alert', hidden: true});
  const abortButton = h('button', {type: 'button', class: 'danger', id: 'abort-button', hidden: true,
    onclick: () => openAbort()}, 'Abort…');
  const progressBox = h('div', {class: 'task-progress'});
  const details = h('dl', {class: 'details'});
  const treeSummary = h('p', {class: 'tree-summary', id: 'tree-summary'});
  const tree = h('ul', {class: 'tree', id: 'task-tree', 'aria-describedby': 'tree-summary'});

  main.append(crumbs, title, badgeLine, notice, h('div', {class: 'actions'}, abortButton), progressBox,
    h('section', {class: 'details-section', 'aria-labelledby': 'details-heading'},
      h('h2', {id: 'details-heading'}, 'Details'), details),
    h('section', {class: 'tree-section', 'aria-labelledby': 'tree-heading'},
      h('h2', {id: 'tree-heading'}, 'Tree'), treeSummary, tree));
  crumbs.append(h('a', {href: uiRoot}, 'Tasks'));

  if (!UUID.test(id)) {
    title.textContent = 'Not a task id';
    showNotice(`'${id}' is not a task id: task ids are UUIDs such as 5b0c0a4e-2f7e-4f7e-9a57-8d8b1f0c9c1e.`);
    return {destroy() {}};
  }

  let firstListing = false;
  let settle;
  const streamSettled = new Promise((resolve) => { settle = resolve; });
  const stream = ctx.subscribe(`/v2/events?task=${encodeURIComponent(id)}`, {
    onConnect() {
      settle();
      if (firstListing) scheduleReload(0);
    },
    onState(state) {
      if (state !== 'connecting') settle();
    },
    onEvent,
  });
  Promise.race([streamSettled, new Promise((resolve) => setTimeout(resolve, STREAM_GRACE_MS))]).then(() => {
    firstListing = true;
    load();
  });

  async function load() {
    if (loading) {
      loadAgain = true;
      return;
    }
    loading = true;
    try {
      const answer = await get(`/v2/tasks/${encodeURIComponent(id)}?view=tree`);
      if (destroyed) return;
      build(answer);
      renderAll();
    } catch (error) {
      if (destroyed || error.status === 401) return;
      if (error instanceof ApiError && error.status === 404) {
        stream.stop();
        title.textContent = 'Task not found';
        showNotice(`No task has the id ${id}. A finished task is removed once its retention time has passed.`);
      } else {
        showNotice(`Could not read the task: ${describeError(error)}`);
      }
    } finally {
      loading = false;
      if (loadAgain && !destroyed) {
        loadAgain = false;
        scheduleReload(500);
      }
    }
  }

  function scheduleReload(ms) {
    if (reloadTimer !== null || destroyed) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      load();
    }, ms);
  }

  function build(answer) {
    const {descendants, ...root} = answer;
    const previous = nodes;
    nodes = new Map();
    const add = (task) => {
      const known = previous.get(task.id);
      nodes.set(task.id, {task: known && !atLeastAsNew(task, known.task) ? known.task : task, children: [],
        shown: known ? known.shown : undefined});
      const parent = nodes.get(task.parent_id);
      if (parent && task.id !== id) parent.children.push(task.id);
    };
    add(root);
    for (const task of descendants || []) add(task);
  }

  function onEvent(type, data) {
    if (destroyed) return;
    if (type === 'reset') {
      scheduleReload(0);
      return;
    }
    if (!data || typeof data.id !== 'string') return;
    const node = nodes.get(data.id);
    if (node) {
      if (!atLeastAsNew(data, node.task)) return;
      const stateChanged = node.task.state !== data.state;
      node.task = data;
      if (data.id === id) renderHeader();
      if (stateChanged && updateFailurePath()) markSubtree(id);
      else markRow(data.id);
      if (data.id === id && type === 'finished') scheduleReload(300); // the final tree, folded
      if (data.id === id && type === 'unregistered') {
        showNotice('This task was unregistered: its retention time has passed. What you see is its last state.');
      }
    } else if (type === 'created' && nodes.has(data.parent_id)) {
      nodes.set(data.id, {task: data, children: []});
      nodes.get(data.parent_id).children.push(data.id);
      markSubtree(data.parent_id);
      if (data.state === 'failed' && updateFailurePath()) markSubtree(id);
    }
  }

  function markRow(taskId) {
    dirtyRows.add(taskId);
    scheduleFlush();
  }

  function markSubtree(taskId) {
    dirtySubtrees.add(taskId);
    scheduleFlush();
  }

  function scheduleFlush() {
    if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_MS);
  }

  function flush() {
    flushTimer = null;
    if (destroyed) return;
    const subtrees = [...dirtySubtrees].filter((taskId) => !hasDirtyAncestor(taskId));
    dirtySubtrees.clear();
    for (const taskId of subtrees) renderSubtree(taskId);
    for (const taskId of dirtyRows) renderRow(taskId);
    dirtyRows.clear();
    renderTreeSummary();
  }

  function hasDirtyAncestor(taskId) {
    for (let p = nodes.get(taskId)?.task.parent_id; p && nodes.has(p); p = nodes.get(p).task.parent_id) {
      if (dirtySubtrees.has(p)) return true;
      if (p === id) break;
    }
    return false;
  }

  /** Recomputes the tasks on a path from the root to a failed task; whether that changed. */
  function updateFailurePath() {
    const next = new Set();
    for (const [taskId, node] of nodes) {
      if (node.task.state !== 'failed') continue;
      for (let cur = taskId; cur && nodes.has(cur) && !next.has(cur); cur = cur === id ? null : nodes.get(cur).task.parent_id) {
        next.add(cur);
      }
    }
    const changed = next.size !== failurePath.size || [...next].some((x) => !failurePath.has(x));
    failurePath = next;
    return changed;
  }

  function renderAll() {
    updateFailurePath();
    renderHeader();
    replace(tree, renderNode(id, 0));
    renderTreeSummary();
    if (!rendered) {
      rendered = true;
      performance.mark('tm:task-rendered');
      main.dataset.rendered = 'true';
    }
  }

  function renderHeader() {
    const task = nodes.get(id).task;
    document.title = `${taskName(task)} · Task Manager`;
    title.textContent = taskName(task);
    replace(crumbs, h('a', {href: uiRoot}, 'Tasks'), ' › ',
      task.parent_id ? [h('a', {href: taskHref(task.parent_id), class: 'parent-link'}, 'Parent task'), ' › '] : null,
      h('span', {'aria-current': 'page'}, task.type));
    replace(badgeLine, badges(task), task.user_task ? h('span', {class: 'badge plain'}, 'user task') : null,
      task.internal ? h('span', {class: 'badge plain'}, 'internal') : null);
    abortButton.hidden = !canAbort(task);
    const timing = rateEta(task);
    progressBox.dataset.state = task.state;
    replace(progressBox, progress(task), timing ? h('p', {class: 'rate'}, timing) : null);
    renderDetails(task);
  }

  function renderDetails(task) {
    const rows = [];
    const row = (name, ...value) => rows.push(h('div', {class: 'detail'}, h('dt', null, name), h('dd', null, ...value)));
    row('Id', h('code', null, task.id));
    row('Module', h('a', {href: `${uiRoot}?module=${encodeURIComponent(task.module)}`}, task.module));
    row('Type', task.type);
    if (task.entity) row('Entity', h('span', {class: 'wrap'}, task.entity));
    row('Kind, scope', `${task.kind}, ${task.scope}`);
    if (task.keyspace || task.table) row('Keyspace, table', `${task.keyspace || '—'}, ${task.table || '—'}`);
    row('Node', task.node);
    row('Sequence number', String(task.sequence_number));
    row('Parent', task.parent_id ? h('a', {href: taskHref(task.parent_id), class: 'parent-link'}, h('code', null, task.parent_id))
      : 'none (a root task)');
    row('Children', String((task.children || []).length));
    row('Created', time(task.created_time));
    row('Started', time(task.start_time));
    row('Ended', time(task.end_time));
    if (task.start_time) row('Duration', fmt.duration(fmt.secondsBetween(task.start_time, task.end_time)));
    row('Updated', time(task.updated_time));
    if (task.deadline) row('Deadline', time(task.deadline));
    if (task.error) row('Error', h('span', {class: 'error-text'}, task.error));
    if (task.abort) {
      row('Abort', h('span', null, task.abort.reason ? `“${task.abort.reason}”` : 'no reason given',
        task.abort.requested_by ? ` by ${task.abort.requested_by}` : '', ', ', time(task.abort.requested_at)));
    }
    const chips = labelChips(task.labels);
    if (chips) row('Labels', chips);
    replace(details, ...rows);
  }

  function isExpanded(node, depth) {
    const chosen = expandedByReader.get(node.task.id);
    return chosen !== undefined ? chosen : depth === 0 || failurePath.has(node.task.id);
  }

  function renderNode(taskId, depth) {
    const node = nodes.get(taskId);
    node.depth = depth;
    const task = node.task;
    const li = h('li', {class: `tree-node${failurePath.has(taskId) ? ' on-failure-path' : ''}`,
      dataset: {taskId, state: task.state}});
    li.append(nodeRow(node));
    if (node.children.length > 0 && isExpanded(node, depth)) {
      const shown = node.shown || CHILDREN_PER_STEP;
      const group = h('ul', {role: 'group'});
      for (const child of node.children.slice(0, shown)) group.append(renderNode(child, depth + 1));
      const rest = node.children.length - shown;
      if (rest > 0) {
        group.append(h('li', {class: 'more'}, h('button', {type: 'button', class: 'link-button', onclick: () => {
          node.shown = shown + CHILDREN_PER_STEP;
          renderSubtree(taskId);
        }}, `Show ${Math.min(rest, CHILDREN_PER_STEP)} more (${fmt.count(rest)} not shown)`)));
      }
      li.append(group);
    }
    node.el = li;
    return li;
  }

  function nodeRow(node) {
    const task = node.task;
    const count = node.children.length;
    const expanded = isExpanded(node, node.depth);
    const name = taskName(task);
    return h('div', {class: 'node'},
      count > 0 ? h('button', {type: 'button', class: 'toggle', 'aria-expanded': String(expanded),
        'aria-label': `${expanded ? 'Fold' : 'Unfold'} the ${count} ${count === 1 ? 'child' : 'children'} of ${name}`,
        onclick: () => toggle(task.id)}, h('span', {'aria-hidden': 'true'}, expanded ? '▾' : '▸'))
        : h('span', {class: 'toggle-spacer', 'aria-hidden': 'true'}),
      task.id === id ? h('span', {class: 'node-name current'}, name)
        : h('a', {class: 'node-name', href: taskHref(task.id), title: name}, name),
      h('span', {class: 'node-badges'}, badges(task)),
      h('span', {class: 'node-progress'}, progress(task)),
      count > 0 ? h('span', {class: 'node-count muted'}, `${fmt.count(count)} ${count === 1 ? 'child' : 'children'}`) : null,
      task.error ? h('span', {class: 'node-error', title: task.error}, task.error) : null);
  }

  function toggle(taskId) {
    const node = nodes.get(taskId);
    expandedByReader.set(taskId, !isExpanded(node, node.depth));
    renderSubtree(taskId);
    node.el.querySelector(':scope > .node > .toggle')?.focus();
  }

  function renderSubtree(taskId) {
    const node = nodes.get(taskId);
    if (!node || !node.el || !node.el.isConnected) return;
    const focused = focusKey(node.el);
    const fresh = renderNode(taskId, node.depth);
    node.el.replaceWith(fresh);
    refocus(fresh, focused);
  }

  function renderRow(taskId) {
    const node = nodes.get(taskId);
    if (!node || !node.el || !node.el.isConnected) return;
    const old = node.el.querySelector(':scope > .node');
    const focused = focusKey(old);
    const fresh = nodeRow(node);
    old.replaceWith(fresh);
    node.el.dataset.state = node.task.state;
    refocus(fresh, focused);
  }

  /** What has keyboard focus inside `el`, so that a re-rendered copy can take it back. */
  function focusKey(el) {
    const active = document.activeElement;
    if (!active || !el.contains(active)) return null;
    const owner = active.closest('[data-task-id]');
    return {taskId: owner ? owner.dataset.taskId : null, className: active.className};
  }

  function refocus(el, key) {
    if (!key) return;
    const scope = key.taskId ? (el.dataset.taskId === key.taskId ? el : el.querySelector(`[data-task-id="${key.taskId}"]`)) : el;
    const target = scope && scope.querySelector(`.${key.className.split(' ')[0]}`);
    if (target) target.focus();
  }

  function renderTreeSummary() {
    let failed = 0;
    let running = 0;
    for (const node of nodes.values()) {
      if (node.task.state === 'failed') failed++;
      else if (node.task.state === 'running') running++;
    }
    const total = nodes.size;
    treeSummary.textContent = `${fmt.count(total)} task${total === 1 ? '' : 's'} in this tree`
      + (running ? `, ${fmt.count(running)} running` : '')
      + (failed ? `, ${fmt.count(failed)} failed (the paths to them are highlighted and unfolded)` : '');
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  function apply(task) {
    const node = nodes.get(task.id);
    if (!node || !atLeastAsNew(task, node.task)) return;
    const ended = isTerminal(task) && !isTerminal(node.task);
    node.task = task;
    renderHeader();
    markRow(task.id);
    if (ended) scheduleReload(300);
  }

  function openAbort() {
    const task = nodes.get(id)?.task;
    if (!task) return;
    openAbortDialog(task, abortButton, (after) => {
      apply(after);
      // Reads the end from the API too, so the page shows it even without an event stream.
      if (!isTerminal(after)) {
        get(`/v2/tasks/${encodeURIComponent(id)}:wait?timeout=30s`, {signal: waits.signal}).then((ended) => {
          if (!destroyed) apply(ended);
        }).catch(() => {});
      }
    });
  }

  return {
    destroy() {
      destroyed = true;
      waits.abort();
      clearTimeout(reloadTimer);
      clearTimeout(flushTimer);
    },
  };
}

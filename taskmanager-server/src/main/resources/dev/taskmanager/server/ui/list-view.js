// /ui/: the modules with their counts, and the task table with the v2 list's filters and page tokens.
// Rows update in place from the event stream; events that may change which tasks the page holds
// (a task created or unregistered, a state change under a state filter) re-list the page, at most
// once a second.

import {get, query, uiRoot} from './api.js';
import {h, replace} from './dom.js';
import * as fmt from './format.js';
import {RecentTasks, atLeastAsNew} from './store.js';
import {STATES, STATE_NAMES, badges, describeError, labelChips, progress, rateEta, taskHref, time}
  from './widgets.js';

const PAGE_SIZES = [10, 25, 50, 100, 250, 500, 1000];
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_ORDER = 'created_time desc';
const ORDERS = [
  ['created_time desc', 'Newest first'],
  ['created_time', 'Oldest first'],
  ['sequence_number desc', 'Sequence number, high to low'],
  ['sequence_number', 'Sequence number, low to high'],
];
const MODULE_STATES = ['running', 'created', 'done', 'failed', 'aborted'];
const RELOAD_INTERVAL_MS = 1000;
const MODULES_INTERVAL_MS = 2000;
/** How long the first listing waits for the event stream to open, so that it misses no change. */
const STREAM_GRACE_MS = 300;

/** The list's filters as the page's URL holds them (the same names as GET /v2/tasks). */
export function readFilters(params) {
  const size = Number(params.get('page_size'));
  return {
    module: params.get('module') || '',
    state: params.getAll('state').flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean),
    type: params.get('type') || '',
    entity_prefix: params.get('entity_prefix') || '',
    label: params.getAll('label').filter(Boolean),
    user_task: params.get('user_task') || '',
    internal: params.get('internal') === 'true',
    order_by: params.get('order_by') || DEFAULT_ORDER,
    page_size: Number.isInteger(size) && size > 0 ? size : DEFAULT_PAGE_SIZE,
    page_token: params.get('page_token') || '',
  };
}

/** The page's URL parameters for these filters, defaults left out. */
function urlParams(f) {
  return {
    module: f.module, state: f.state, type: f.type, entity_prefix: f.entity_prefix, label: f.label,
    user_task: f.user_task, internal: f.internal ? 'true' : '',
    order_by: f.order_by === DEFAULT_ORDER ? '' : f.order_by,
    page_size: f.page_size === DEFAULT_PAGE_SIZE ? '' : f.page_size,
    page_token: f.page_token,
  };
}

function apiQuery(f) {
  return query({...urlParams(f), order_by: f.order_by, page_size: f.page_size});
}

/** Whether the list with filters `f` may hold `task`: the same rules as the server's filters. */
export function mayMatch(task, f) {
  if (f.module && task.module !== f.module) return false;
  if (f.type && task.type !== f.type) return false;
  if (f.entity_prefix && !(task.entity || '').startsWith(f.entity_prefix)) return false;
  if (!f.internal && task.internal) return false;
  if (f.user_task && String(task.user_task) !== f.user_task) return false;
  for (const label of f.label) {
    const colon = label.indexOf(':');
    if (colon < 0 || (task.labels || {})[label.slice(0, colon)] !== label.slice(colon + 1)) return false;
  }
  if (f.state.length > 0) {
    const states = [task.state];
    if (task.stalled) states.push('stalled');
    if (task.abort_requested) states.push('abort_requested');
    if (!f.state.some((s) => states.includes(s))) return false;
  }
  return true;
}

export function mountList(main, url, ctx) {
  const filters = readFilters(url.searchParams);
  const position = history.state && typeof history.state.offset === 'number' ? history.state
    : (filters.page_token ? null : {offset: 0, stack: []});
  const recent = new RecentTasks();
  const rows = new Map();
  let destroyed = false;
  let rendered = false;
  let loading = false;
  let loadAgain = false;
  let lastLoad = 0;
  let reloadTimer = null;
  let modulesTimer = null;
  let lastModules = 0;

  const banner = h('div', {class: 'banner', role: 'alert', hidden: true});
  const modulesList = h('ul', {class: 'modules', 'aria-busy': 'true'});
  const moduleSelect = h('select', {id: 'f-module', name: 'module'}, h('option', {value: ''}, 'Any module'),
    filters.module ? h('option', {value: filters.module, selected: true}, filters.module) : null);
  const form = filterForm(filters, moduleSelect, ctx);
  const summary = h('p', {class: 'summary', id: 'list-summary', 'aria-live': 'polite'}, 'Loading tasks…');
  const tbody = h('tbody');
  const table = h('table', {class: 'tasks', 'aria-describedby': 'list-summary'},
    h('caption', {class: 'visually-hidden'}, 'Tasks matching the filters'),
    h('thead', null, h('tr', null, ['Task', 'Module', 'State', 'Progress', 'Rate', 'Created', 'Labels']
      .map((name) => h('th', {scope: 'col'}, name)))),
    tbody);
  const pager = h('nav', {class: 'pager', 'aria-label': 'Pages of tasks'});

  main.dataset.view = 'list';
  main.append(
    h('h1', null, 'Tasks'),
    banner,
    h('section', {class: 'modules-section', 'aria-labelledby': 'modules-heading'},
      h('h2', {id: 'modules-heading'}, 'Modules'), modulesList),
    h('section', {class: 'list-section', 'aria-labelledby': 'list-heading'},
      h('h2', {id: 'list-heading'}, 'Task list'), form, summary, h('div', {class: 'table-wrap'}, table), pager));

  // Open the stream first and list once it is open (or has failed, or after a short grace), so that
  // the listing misses no change; every later (re)connection re-lists.
  let firstListing = false;
  let settle;
  const streamSettled = new Promise((resolve) => { settle = resolve; });
  ctx.subscribe(`/v2/events${query({module: filters.module})}`, {
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
    load(true);
  });

  function onEvent(type, data) {
    if (destroyed) return;
    if (type === 'reset') {
      recent.clear();
      scheduleReload(0);
      scheduleModules(0);
      return;
    }
    if (!data || typeof data.id !== 'string') return;
    recent.remember(data);
    const row = rows.get(data.id);
    if (row && atLeastAsNew(data, row.task)) {
      row.task = data;
      fillCells(row.tr, data);
    }
    if (type === 'created' || type === 'started' || type === 'finished' || type === 'unregistered') {
      scheduleModules(MODULES_INTERVAL_MS);
    }
    const membership = type === 'created' || type === 'unregistered'
      || (filters.state.length > 0 && type !== 'progress');
    if (membership && (row || mayMatch(data, filters))) scheduleReload(RELOAD_INTERVAL_MS);
  }

  function scheduleReload(ms) {
    if (reloadTimer !== null || destroyed) return;
    const wait = Math.max(ms, lastLoad + RELOAD_INTERVAL_MS - performance.now(), 0);
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      load(false);
    }, wait);
  }

  function scheduleModules(ms) {
    if (modulesTimer !== null || destroyed) return;
    const wait = Math.max(ms, lastModules + MODULES_INTERVAL_MS - performance.now(), 0);
    modulesTimer = setTimeout(() => {
      modulesTimer = null;
      loadModules().catch(() => {});
    }, wait);
  }

  async function loadModules() {
    lastModules = performance.now();
    const answer = await get('/v2/modules');
    if (!destroyed) renderModules(answer.modules || []);
  }

  async function load(first) {
    if (loading) {
      loadAgain = true;
      return;
    }
    loading = true;
    lastLoad = performance.now();
    try {
      const [page] = await Promise.all([get(`/v2/tasks${apiQuery(filters)}`),
        first ? loadModules() : null]);
      if (destroyed) return;
      banner.hidden = true;
      renderPage(page);
    } catch (error) {
      if (!destroyed) showError(error);
    } finally {
      loading = false;
      if (loadAgain && !destroyed) {
        loadAgain = false;
        scheduleReload(RELOAD_INTERVAL_MS);
      }
    }
  }

  function showError(error) {
    if (error.status === 401) return; // the app asks for the token
    banner.replaceChildren();
    if (error.parameter === 'page_token') {
      banner.append('This page of the list is no longer valid (the server restarted, or the link was made ',
        'with other filters). ', h('a', {href: uiRoot + query({...urlParams(filters), page_token: ''})},
          'Go to the first page'), '.');
    } else {
      banner.append(`Could not list the tasks: ${describeError(error)}`);
    }
    banner.hidden = false;
    summary.textContent = '';
  }

  function renderModules(modules) {
    modulesList.removeAttribute('aria-busy');
    if (modules.length === 0) {
      replace(modulesList, h('li', {class: 'muted'}, 'No modules yet.'));
      return;
    }
    replace(modulesList, ...modules.map((m) => h('li', {class: 'module-card', dataset: {module: m.name}},
      h('a', {class: 'module-name', href: uiRoot + query({module: m.name})}, m.name),
      h('span', {class: 'module-total'}, `${fmt.count(m.total)} task${m.total === 1 ? '' : 's'}`),
      h('span', {class: 'module-states'}, MODULE_STATES.filter((s) => m.states && m.states[s] > 0).map((s) =>
        h('a', {class: `count state-${s}`, href: uiRoot + query({module: m.name, state: s}), dataset: {state: s}},
          `${fmt.count(m.states[s])} ${s}`))))));
    const known = new Set([...moduleSelect.options].map((o) => o.value));
    for (const m of modules) {
      if (!known.has(m.name)) moduleSelect.append(h('option', {value: m.name}, m.name));
    }
  }

  function renderPage(page) {
    rows.clear();
    const fragment = document.createDocumentFragment();
    for (const listed of page.tasks) {
      const task = recent.newest(listed);
      const tr = h('tr', {dataset: {taskId: task.id}},
        h('td', {class: 'c-task'}, h('a', {class: 'task-link', href: taskHref(task.id)}, task.type || task.id),
          task.entity ? h('span', {class: 'entity', title: task.entity}, task.entity) : null));
      fillCells(tr, task);
      rows.set(task.id, {task, tr});
      fragment.append(tr);
    }
    if (page.tasks.length === 0) {
      fragment.append(h('tr', {class: 'empty'}, h('td', {colspan: 7}, 'No task matches these filters.')));
    }
    replace(tbody, fragment);
    const n = page.tasks.length;
    const total = fmt.count(page.total_size);
    summary.textContent = position && n > 0
      ? `Tasks ${fmt.count(position.offset + 1)}–${fmt.count(position.offset + n)} of ${total}`
      : `${fmt.count(n)} task${n === 1 ? '' : 's'} on this page, ${total} in all`;
    summary.dataset.total = String(page.total_size);
    renderPager(page.next_page_token, n);
    if (!rendered) {
      rendered = true;
      performance.mark('tm:list-rendered');
      main.dataset.rendered = 'true';
    }
  }

  function renderPager(next, n) {
    const here = (overrides) => uiRoot + query({...urlParams(filters), ...overrides});
    const stack = position ? position.stack : null;
    const links = [];
    links.push(pageLink('First page', filters.page_token ? here({page_token: ''}) : null,
      {offset: 0, stack: []}, 'first'));
    const previous = stack && stack.length > 0 ? stack[stack.length - 1] : null;
    links.push(pageLink('Previous page', previous ? here({page_token: previous.token}) : null,
      previous ? {offset: previous.offset, stack: stack.slice(0, -1)} : null, 'previous'));
    links.push(pageLink('Next page', next ? here({page_token: next}) : null,
      position ? {offset: position.offset + n, stack: [...stack, {token: filters.page_token, offset: position.offset}]}
        : null, 'next'));
    replace(pager, ...links);
  }

  function pageLink(text, href, state, rel) {
    if (!href) return h('span', {class: 'page-link disabled', 'aria-disabled': 'true', dataset: {rel}}, text);
    return h('a', {class: 'page-link', href, dataset: {rel}, onclick: (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      ctx.navigate(href, {state});
    }}, text);
  }

  return {
    destroy() {
      destroyed = true;
      clearTimeout(reloadTimer);
      clearTimeout(modulesTimer);
    },
  };
}

/** Every cell of a row but the first (the link, which keeps keyboard focus across updates). */
function fillCells(tr, task) {
  while (tr.cells.length > 1) tr.lastElementChild.remove();
  tr.dataset.state = task.state;
  tr.append(
    h('td', {class: 'c-module', dataset: {label: 'Module'}}, task.module),
    h('td', {class: 'c-state', dataset: {label: 'State'}}, badges(task)),
    h('td', {class: 'c-progress', dataset: {label: 'Progress'}}, progress(task)),
    h('td', {class: 'c-rate', dataset: {label: 'Rate'}}, rateEta(task)),
    h('td', {class: 'c-created', dataset: {label: 'Created'}}, time(task.created_time)),
    h('td', {class: 'c-labels', dataset: {label: 'Labels'}}, labelChips(task.labels)));
}

function filterForm(f, moduleSelect, ctx) {
  const input = (id, name, value, extra) => h('input', {id, name, value, type: 'text', autocomplete: 'off',
    spellcheck: 'false', ...extra});
  const field = (id, text, control, hint) => h('div', {class: 'field'}, h('label', {for: id}, text), control,
    hint ? h('span', {class: 'hint', id: `${id}-hint`}, hint) : null);
  const pageSizes = PAGE_SIZES.includes(f.page_size) ? PAGE_SIZES : [...PAGE_SIZES, f.page_size].sort((a, b) => a - b);
  const form = h('form', {class: 'filters', method: 'get', action: uiRoot, role: 'search', 'aria-label': 'Filter tasks'},
    field('f-module', 'Module', moduleSelect),
    field('f-type', 'Type', input('f-type', 'type', f.type, {placeholder: 'e.g. manifest'})),
    field('f-entity', 'Entity starts with', input('f-entity', 'entity_prefix', f.entity_prefix,
      {placeholder: 'e.g. /srv/data'})),
    field('f-label', 'Labels', input('f-label', 'label', f.label.join(', '),
      {placeholder: 'key:value, …', 'aria-describedby': 'f-label-hint'}), 'key:value, comma-separated; all must match'),
    h('fieldset', {class: 'states'}, h('legend', null, 'State (any of)'),
      STATES.map((s) => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'state', value: s, checked: f.state.includes(s)}), STATE_NAMES[s]))),
    field('f-user', 'Tasks', h('select', {id: 'f-user', name: 'user_task'},
      [['', 'All'], ['true', 'User tasks only'], ['false', 'Other tasks only']].map(([value, text]) =>
        h('option', {value, selected: f.user_task === value}, text)))),
    h('div', {class: 'field check-field'}, h('label', {class: 'check'},
      h('input', {type: 'checkbox', id: 'f-internal', name: 'internal', value: 'true', checked: f.internal}),
      'Include internal tasks')),
    field('f-order', 'Order', h('select', {id: 'f-order', name: 'order_by'}, ORDERS.map(([value, text]) =>
      h('option', {value, selected: f.order_by === value}, text)))),
    field('f-size', 'Per page', h('select', {id: 'f-size', name: 'page_size'}, pageSizes.map((n) =>
      h('option', {value: String(n), selected: f.page_size === n}, String(n))))),
    h('div', {class: 'buttons'}, h('button', {type: 'submit'}, 'Apply filters'),
      h('a', {class: 'button secondary', href: uiRoot}, 'Clear')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const chosen = readFilters(new URLSearchParams());
    chosen.module = data.get('module') || '';
    chosen.state = data.getAll('state');
    chosen.type = (data.get('type') || '').trim();
    chosen.entity_prefix = data.get('entity_prefix') || '';
    chosen.label = (data.get('label') || '').split(',').map((s) => s.trim()).filter(Boolean);
    chosen.user_task = data.get('user_task') || '';
    chosen.internal = data.get('internal') === 'true';
    chosen.order_by = data.get('order_by') || DEFAULT_ORDER;
    chosen.page_size = Number(data.get('page_size')) || DEFAULT_PAGE_SIZE;
    ctx.navigate(uiRoot + query(urlParams(chosen)));
  });
  return form;
}

// The dashboard's entry point: routes /ui/ (modules and the task table) and /ui/tasks/{id} (one task
// and its tree) with the History API, owns the one event-stream subscription of the page and the
// connection indicator, and asks for the bearer token when the server answers 401.

import {get, uiRoot, onUnauthorized, setToken, clearToken, token, ApiError} from './api.js';
import {EventStream} from './events.js';
import {h, replace} from './dom.js';
import {mountList} from './list-view.js';
import {mountTask} from './task-view.js';

const main = document.getElementById('main');
const connection = document.getElementById('connection');
const signOut = document.getElementById('sign-out');

let view = null;
let stream = null;
let signingIn = false;

const CONNECTION_TEXT = {
  connecting: () => 'Connecting…',
  live: () => 'Live',
  reconnecting: (ms) => (ms ? `Offline, retrying in ${Math.round(ms / 1000)} s` : 'Reconnecting…'),
  unavailable: () => 'No live updates',
  unauthorized: () => 'Signed out',
};

function showConnection(state, detail) {
  connection.dataset.state = state;
  connection.title = state === 'unavailable'
    ? 'This server has no event stream (GET /v2/events): reload to see changes' : '';
  connection.querySelector('.connection-text').textContent = CONNECTION_TEXT[state](detail);
}

/**
 * What views get: one event-stream subscription at a time (a new one replaces the last), and
 * navigation.
 */
const context = {
  subscribe(path, handlers) {
    if (stream) stream.stop();
    stream = new EventStream(path, {
      ...handlers,
      onState: (state, detail) => {
        showConnection(state, detail);
        if (handlers.onState) handlers.onState(state);
      },
    }).start();
    return stream;
  },
  navigate,
};

function route(url) {
  const path = url.pathname;
  if (path === uiRoot || path === uiRoot.slice(0, -1)) return (m) => mountList(m, url, context);
  const task = path.startsWith(`${uiRoot}tasks/`) ? path.slice(`${uiRoot}tasks/`.length) : null;
  if (task && !task.includes('/')) return (m) => mountTask(m, decodeURIComponent(task), context);
  return (m) => m.append(h('h1', null, 'Not found'),
    h('p', null, 'Nothing lives at this address. ', h('a', {href: uiRoot}, 'See all tasks'), '.'));
}

function render({focus = false} = {}) {
  if (view && view.destroy) view.destroy();
  if (stream) {
    stream.stop();
    stream = null;
  }
  view = null;
  main.replaceChildren();
  const url = new URL(window.location.href);
  view = route(url)(main) || null;
  if (focus) {
    const heading = main.querySelector('h1');
    (heading || main).setAttribute('tabindex', '-1');
    (heading || main).focus({preventScroll: false});
  }
}

/** Shows another page of the dashboard without reloading; `state` goes to history.state. */
function navigate(href, {replace = false, state = null} = {}) {
  const url = new URL(href, window.location.href);
  if (replace) history.replaceState(state, '', url);
  else history.pushState(state, '', url);
  render({focus: true});
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
      || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith(uiRoot)) return;
  if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
  event.preventDefault();
  navigate(url.href);
});

window.addEventListener('popstate', () => render({focus: true}));

// Leaving the page (or its going into the back/forward cache) ends the stream: a frozen page would
// otherwise keep its connection, and a browser has only six per server. Coming back starts afresh.
window.addEventListener('pagehide', () => {
  if (stream) {
    stream.stop();
    stream = null;
  }
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) render();
});

/** The server wants a token: ask for it, check it, and carry on where the reader was. */
function showSignIn(message) {
  if (signingIn) return;
  signingIn = true;
  if (view && view.destroy) view.destroy();
  view = null;
  if (stream) {
    stream.stop();
    stream = null;
  }
  showConnection('unauthorized');
  signOut.hidden = true;
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'token-help'});
  const error = h('p', {class: 'error', role: 'alert', id: 'sign-in-error'}, message || '');
  const form = h('form', {class: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    setToken(value);
    try {
      await get('/v2/modules');
    } catch (e) {
      clearToken();
      error.textContent = e instanceof ApiError && e.status === 401
        ? 'The server refused this token.' : `Could not check the token: ${e.message}`;
      input.focus();
      input.select();
      return;
    }
    signingIn = false;
    signOut.hidden = false;
    render({focus: true});
  }},
  h('h1', null, 'Sign in'),
  h('p', {id: 'token-help'}, 'This server requires a bearer token: the contents of the file given to ',
    h('code', null, '--auth-token-file'), '. It is kept in this tab only (sessionStorage) and sent with each request.'),
  h('label', {for: 'token'}, 'Bearer token'),
  input,
  h('button', {type: 'submit'}, 'Sign in'),
  error);
  replace(main, form);
  input.focus();
}

onUnauthorized(() => {
  const hadToken = token() !== null;
  clearToken();
  showSignIn(hadToken ? 'The server refused the token.' : '');
});

signOut.addEventListener('click', () => {
  clearToken();
  showSignIn('Signed out.');
});

document.getElementById('home-link').setAttribute('href', uiRoot);
signOut.hidden = !token();
render();

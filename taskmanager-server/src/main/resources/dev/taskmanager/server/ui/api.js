// The v2 API from the browser: same origin, JSON in and out, RFC 9457 problems as errors, and the
// bearer token (when the server has one) from sessionStorage. See docs/dashboard.md.

const TOKEN_KEY = 'taskmanager.token';

/** The path the server is mounted at ('' on the standalone server), from where this module was loaded. */
export const base = new URL(import.meta.url).pathname.replace(/\/ui\/static\/[^/]*\/[^/]*$/, '');
/** The dashboard's own path, e.g. "/ui/". */
export const uiRoot = `${base}/ui/`;

/** A refused request: the status, the problem's detail (or the compat message) and the problem itself. */
export class ApiError extends Error {
  constructor(status, detail, problem) {
    super(detail);
    this.status = status;
    this.problem = problem || {};
  }

  /** The parameter the problem is about, if any. */
  get parameter() {
    return this.problem.parameter;
  }
}

let unauthorizedListener = () => {};

/** Called whenever the server answers 401: the token is missing or wrong. */
export function onUnauthorized(listener) {
  unauthorizedListener = listener;
}

export function notifyUnauthorized() {
  unauthorizedListener();
}

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled: no token
  }
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The headers every request carries: what it accepts, and the token if there is one. */
export function headers(extra) {
  const all = {Accept: 'application/json', ...extra};
  const t = token();
  if (t) all.Authorization = `Bearer ${t}`;
  return all;
}

/** GET a path of the API ('/v2/tasks?...'); resolves to the JSON answer. */
export async function get(path, {signal} = {}) {
  const response = await fetch(base + path, {headers: headers(), signal, cache: 'no-store'});
  return answer(response);
}

/**
 * POST a JSON body. The browser sends this page's own Origin, which the server's cross-origin check
 * accepts; X-Request-Id records the dashboard as the requester of an abort.
 */
export async function post(path, body, {signal} = {}) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: headers({'Content-Type': 'application/json', 'X-Request-Id': 'dashboard'}),
    body: JSON.stringify(body ?? {}),
    signal,
    cache: 'no-store',
  });
  return answer(response);
}

async function answer(response) {
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.ok) return json;
  if (response.status === 401) notifyUnauthorized();
  const detail = (json && (json.detail || json.message)) || `${response.status} ${response.statusText}`;
  throw new ApiError(response.status, detail, json);
}

/** A query string from an object: arrays repeat the parameter; empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== null && v !== undefined && v !== '' && v !== false) q.append(key, String(v));
    }
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

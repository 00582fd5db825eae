// GET /v2/events (Server-Sent Events) read with fetch rather than EventSource: EventSource cannot send
// the Authorization header a server with --auth-token-file needs, and reading the stream ourselves
// costs one parser (the WHATWG "event stream interpretation", below). It resumes like EventSource:
// Last-Event-ID on reconnect, the server's retry: delay, and a watchdog that treats 45 s without a
// byte (heartbeats come every 15 s) as a lost connection.

import {base, headers, notifyUnauthorized} from './api.js';

const SILENCE_LIMIT_MS = 45_000;
const MAX_DELAY_MS = 30_000;
const UNAVAILABLE_DELAY_MS = 30_000;

/**
 * One subscription. Handlers:
 *  - onEvent(type, data, id): an event; data is the parsed JSON (a task, or {reason} for reset).
 *  - onConnect(): the stream is open; what happened while it was not is unknown, so re-list.
 *  - onState(state, detail): 'connecting', 'live', 'reconnecting' (detail: ms until the next try),
 *    'unavailable' (the server has no event stream; detail: ms), 'unauthorized'.
 */
export class EventStream {
  constructor(path, handlers) {
    this.url = base + path;
    this.handlers = handlers;
    this.lastEventId = null;
    this.retryMs = 3000;
    this.stopped = false;
    this.controller = null;
    this.wake = null;
  }

  start() {
    this.loop();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
    if (this.wake) this.wake();
  }

  /** Gives up the current connection (or the wait before the next) and connects again now. */
  reconnect() {
    if (this.controller) this.controller.abort();
    if (this.wake) this.wake();
  }

  state(name, detail) {
    if (!this.stopped && this.handlers.onState) this.handlers.onState(name, detail);
  }

  async loop() {
    let failures = 0;
    while (!this.stopped) {
      this.state(failures === 0 ? 'connecting' : 'reconnecting', 0);
      this.controller = new AbortController();
      let unavailable = false;
      try {
        const extra = {Accept: 'text/event-stream'};
        if (this.lastEventId !== null) extra['Last-Event-ID'] = this.lastEventId;
        const response = await fetch(this.url, {headers: headers(extra), signal: this.controller.signal,
          cache: 'no-store'});
        const type = response.headers.get('Content-Type') || '';
        if (response.status === 401) {
          this.state('unauthorized');
          notifyUnauthorized();
          return;
        }
        if (!response.ok || !type.startsWith('text/event-stream')) {
          unavailable = response.status === 404 || response.status === 405;
          response.body?.cancel().catch(() => {});
          throw new Error(`event stream answered ${response.status}`);
        }
        failures = 0;
        this.state('live');
        if (this.handlers.onConnect) this.handlers.onConnect();
        await this.read(response.body, this.controller);
      } catch {
        // a refused, dropped or stopped connection; the loop decides
      }
      if (this.stopped) return;
      failures++;
      const delay = unavailable ? UNAVAILABLE_DELAY_MS
        : Math.min(MAX_DELAY_MS, failures <= 2 ? this.retryMs : this.retryMs * 2 ** (failures - 2));
      this.state(unavailable ? 'unavailable' : 'reconnecting', delay);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Reads events until the stream ends, fails, or is silent for too long. */
  async read(body, controller) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let watchdog = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
    const parser = new EventParser((event) => this.dispatch(event), (id) => { this.lastEventId = id; },
      (ms) => { this.retryMs = ms; });
    try {
      for (;;) {
        const {value, done} = await reader.read();
        clearTimeout(watchdog);
        if (done) return;
        watchdog = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
        parser.push(value);
      }
    } finally {
      clearTimeout(watchdog);
      reader.cancel().catch(() => {});
    }
  }

  dispatch({type, data, id}) {
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch {
      return; // not one of ours: every event of /v2/events carries one line of JSON
    }
    this.handlers.onEvent(type, parsed, id);
  }
}

/**
 * The event stream format (text/event-stream): lines ended by CRLF, LF or CR; "field: value" lines
 * build an event that a blank line dispatches; lines starting with ':' are comments (heartbeats).
 */
export class EventParser {
  constructor(onEvent, onId, onRetry) {
    this.onEvent = onEvent;
    this.onId = onId;
    this.onRetry = onRetry;
    this.buffer = '';
    this.first = true;
    this.type = '';
    this.data = [];
    this.id = null;
  }

  push(chunk) {
    let text = this.buffer + chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === text.length - 1) break; // a CR at the end may be half of a CRLF
      this.line(text.slice(start, i));
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.buffer = text.slice(start);
  }

  line(line) {
    if (line === '') {
      if (this.id !== null) this.onId(this.id); // resume after this event, whatever it held
      if (this.data.length > 0) {
        this.onEvent({type: this.type || 'message', data: this.data.join('\n'), id: this.id});
      }
      this.type = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
  }
}

// Live data through Nomad's blocking queries: one long-poll per URL, shared by every component
// that shows it. The first request answers at once; each next one carries `index=<X-Nomad-Index>`
// and waits on the server until something changes, so a page is current within a moment without
// polling. A loop runs only while someone subscribes, pauses briefly between answers (a burst of
// changes costs one request, not one per change) and backs off on errors.
import { useCallback, useSyncExternalStore } from 'react';
import { ApiError, withQuery } from './client';

export interface WatchState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  index: number;
}

interface Entry {
  url: string;
  state: WatchState<unknown>;
  listeners: Set<() => void>;
  controller: AbortController | undefined;
  running: boolean;
  dropTimer: ReturnType<typeof setTimeout> | undefined;
}

/** How long the server may hold a request; how long to pause between answers. */
const WAIT = '60s';
const MIN_GAP_MS = 200;
const MAX_BACKOFF_MS = 10_000;
/** Data nobody watches stays cached this long, so going back to a page shows it at once. */
const KEEP_MS = 60_000;

const entries = new Map<string, Entry>();
let requestCount = 0;

/** Requests made so far (tests and the benchmark check there is no request storm). */
export function watchRequestCount(): number {
  return requestCount;
}

function publish(e: Entry, next: Partial<WatchState<unknown>>): void {
  e.state = { ...e.state, ...next };
  for (const l of e.listeners) l();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function run(e: Entry): Promise<void> {
  e.running = true;
  let backoff = 500;
  while (e.listeners.size > 0) {
    const controller = new AbortController();
    e.controller = controller;
    const { signal } = controller;
    const url = e.state.index > 0 ? withQuery(e.url, { index: e.state.index, wait: WAIT }) : e.url;
    try {
      requestCount++;
      const res = await fetch(url, { signal });
      if (!res.ok) throw new ApiError(res.status, (await res.text()).trim() || `${res.status} ${res.statusText}`, e.url);
      const index = Number(res.headers.get('X-Nomad-Index') ?? '0') || 0;
      const data: unknown = await res.json();
      // A lower index means the server's state was reset (a restarted dev agent): start over.
      const changed = e.state.data === undefined || index !== e.state.index || e.state.error !== undefined;
      if (changed) publish(e, { data, error: undefined, loading: false, index: index < e.state.index ? 0 : index });
      backoff = 500;
      // Without an index the server cannot block; poll gently instead of spinning.
      await sleep(index > 0 ? MIN_GAP_MS : 2000, signal);
    } catch (err) {
      if (signal.aborted) break;
      const error = err instanceof ApiError ? err : new ApiError(0, `Cannot reach the agent (${err instanceof Error ? err.message : String(err)}). Is it still running?`, e.url);
      publish(e, { error, loading: false, index: 0 });
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
  e.running = false;
  e.controller = undefined;
}

function entryFor(url: string): Entry {
  let e = entries.get(url);
  if (!e) {
    e = { url, state: { data: undefined, error: undefined, loading: true, index: 0 }, listeners: new Set(), controller: undefined, running: false, dropTimer: undefined };
    entries.set(url, e);
  }
  return e;
}

function subscribe(url: string, listener: () => void): () => void {
  const e = entryFor(url);
  if (e.dropTimer) clearTimeout(e.dropTimer);
  e.dropTimer = undefined;
  e.listeners.add(listener);
  if (!e.running) void run(e);
  return () => {
    e.listeners.delete(listener);
    if (e.listeners.size > 0) return;
    e.controller?.abort();
    e.dropTimer = setTimeout(() => {
      if (e.listeners.size === 0) entries.delete(url);
    }, KEEP_MS);
  };
}

const IDLE: WatchState<never> = { data: undefined, error: undefined, loading: false, index: 0 };

/** The live value of a GET endpoint that supports blocking queries; `null` watches nothing. */
export function useWatch<T>(url: string | null): WatchState<T> {
  const sub = useCallback((l: () => void) => (url === null ? () => undefined : subscribe(url, l)), [url]);
  const snap = useCallback(() => (url === null ? IDLE : entryFor(url).state), [url]);
  return useSyncExternalStore(sub, snap) as WatchState<T>;
}

// Blocking queries (Nomad's blockingRPC): run a query on the latest snapshot; if the caller asked
// for `index=N` and the result's index is not past N, wait for state to change and run it again,
// until it is or `wait` (plus jitter of up to wait/16, as Nomad adds) runs out.
import type { StateSnapshot } from '../state/snapshot.js';
import type { StateStore } from '../state/state-store.js';

export interface BlockingOptions {
  minIndex: number;
  waitMs: number;
  signal?: AbortSignal;
}

export interface QueryResult<T> {
  value: T;
  /** The state index the value reflects (never 0: Nomad answers at least 1). */
  index: number;
}

export async function blockingQuery<T>(store: StateStore, opts: BlockingOptions, run: (snap: StateSnapshot) => { value: T; index: number }, rand: () => number = Math.random): Promise<QueryResult<T>> {
  let snap = store.snapshot();
  let r = run(snap);
  if (opts.minIndex <= 0 || r.index > opts.minIndex) return { value: r.value, index: Math.max(1, r.index) };
  const deadline = Date.now() + opts.waitMs + Math.floor(rand() * (opts.waitMs / 16));
  while (!opts.signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await store.waitForRevision(snap.revision + 1, { timeoutMs: left, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (next.revision === snap.revision) break; // timed out or aborted
    snap = next;
    r = run(snap);
    if (r.index > opts.minIndex) break;
  }
  return { value: r.value, index: Math.max(1, r.index) };
}

// Plumbing shared by the conformance groups: opening a fresh store per test, closing it, and
// reading watch batches with a deadline so a broken backend fails a test instead of hanging it.
// It owns no assertions about KV behaviour beyond "close leaves no timers armed".
import assert from 'node:assert/strict';
import { ManualClock } from '../clock.js';
import type { KV, WatchBatch, Watcher } from '../kv.js';

export interface KvTestEnv {
  /** The clock the backend must use for lease expiry. */
  readonly clock: ManualClock;
}

export interface KvHarness {
  readonly kv: KV;
  /** Open the same data again (the suite has closed `kv` first); absent for non-persistent backends. */
  readonly reopen?: () => Promise<KV>;
  /** Remove whatever the backend left behind (files); the suite closes the stores itself. */
  readonly cleanup: () => Promise<void>;
}

export type OpenKv = (env: KvTestEnv) => Promise<KvHarness>;

export interface StoreContext {
  readonly kv: KV;
  readonly clock: ManualClock;
  /** Close the current store and open the same data again; undefined if the backend cannot. */
  readonly reopen: (() => Promise<KV>) | undefined;
}

/** Run `body` against a fresh store; afterwards close it and check nothing is left armed. */
export async function withStore(open: OpenKv, body: (ctx: StoreContext) => Promise<void>): Promise<void> {
  const clock = new ManualClock(1_000_000);
  const h = await open({ clock });
  const opened: KV[] = [h.kv];
  const reopenFn = h.reopen;
  const reopen =
    reopenFn === undefined
      ? undefined
      : async (): Promise<KV> => {
          for (const kv of opened) await kv.close();
          const kv = await reopenFn();
          opened.push(kv);
          return kv;
        };
  try {
    await body({ kv: h.kv, clock, reopen });
  } finally {
    for (const kv of opened) await kv.close();
    await h.cleanup();
  }
  assert.equal(clock.pendingTimers, 0, 'close() must leave no timers armed');
}

/** The next batch of a watcher, failing after `ms` of real time. */
export async function nextBatch(it: AsyncIterator<WatchBatch>, ms = 2000): Promise<WatchBatch> {
  const r = await withDeadline(it.next(), ms);
  assert.equal(r.done, false, 'watch ended unexpectedly');
  return r.value as WatchBatch;
}

export async function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collect batches until one at `revision` (inclusive) arrives. */
export async function batchesThrough(it: AsyncIterator<WatchBatch>, revision: number): Promise<WatchBatch[]> {
  const out: WatchBatch[] = [];
  for (;;) {
    const b = await nextBatch(it);
    out.push(b);
    if (b.revision >= revision) return out;
  }
}

export function iter(w: Watcher): AsyncIterator<WatchBatch> {
  return w[Symbol.asyncIterator]();
}

/** `{key, value}` pairs of a list of kvs, for compact assertions. */
export function pairs(kvs: readonly { key: string; value: string }[]): [string, string][] {
  return kvs.map((kv) => [kv.key, kv.value]);
}

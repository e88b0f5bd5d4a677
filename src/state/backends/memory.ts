// The in-memory backend: dev mode (`roam agent -dev`) and tests. It owns an ordered key index,
// per-key row histories and the per-revision change log, and nothing persists past close().
//
// Retention: like every LogStore, it keeps `historyRetention` revisions of history (default
// 10,000; see log-store.ts) for old-revision reads and watch replay, compacting older history
// automatically, so memory grows with the number of live keys plus that window — never with the
// total number of writes.
import type { KeyBounds } from '../keys.js';
import { compareKeys, inBounds } from '../keys.js';
import type { KV } from '../kv.js';
import type { Commit, LogEngine, LogRow, StoredLease } from './engine.js';
import type { LogStoreOptions } from './log-store.js';
import { LogStore } from './log-store.js';

export type MemoryKvOptions = LogStoreOptions;

export function openMemoryKv(options: MemoryKvOptions = {}): KV {
  return new LogStore(new MemoryEngine(), options);
}

/** Index of the first element for which `before` is false (elements must be partitioned). */
function lowerBound<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The row of a key's history current at `revision` (maybe a tombstone). */
function rowAsOf(history: readonly LogRow[], revision: number): LogRow | undefined {
  const i = lowerBound(history, (r) => r.modRevision <= revision);
  return i === 0 ? undefined : history[i - 1];
}

export class MemoryEngine implements LogEngine {
  #revision = 0;
  #compacted = 0;
  #nextLease = 1;
  readonly #byKey = new Map<string, LogRow[]>();
  /** Every key with at least one stored row, in key order. */
  readonly #keys: string[] = [];
  /** Changes of every revision >= the compacted revision, in commit order. */
  readonly #batches: { revision: number; rows: readonly LogRow[] }[] = [];
  readonly #leases = new Map<number, StoredLease>();

  revision(): number {
    return this.#revision;
  }

  compactRevision(): number {
    return this.#compacted;
  }

  latest(key: string): LogRow | undefined {
    return this.#byKey.get(key)?.at(-1);
  }

  rowAt(key: string, revision: number): LogRow | undefined {
    return this.#byKey.get(key)?.find((r) => r.modRevision === revision);
  }

  range(bounds: KeyBounds, revision: number, limit: number): { rows: LogRow[]; count: number } {
    const rows: LogRow[] = [];
    let count = 0;
    for (let i = lowerBound(this.#keys, (k) => compareKeys(k, bounds.start) < 0); i < this.#keys.length; i++) {
      const key = this.#keys[i] as string;
      if (bounds.end !== undefined && compareKeys(key, bounds.end) >= 0) break;
      const row = rowAsOf(this.#byKey.get(key) ?? [], revision);
      if (row === undefined || row.deleted) continue;
      count++;
      if (limit === 0 || rows.length < limit) rows.push(row);
    }
    return { rows, count };
  }

  history(from: number, to: number, bounds: KeyBounds): LogRow[] {
    const out: LogRow[] = [];
    for (let i = lowerBound(this.#batches, (b) => b.revision < from); i < this.#batches.length; i++) {
      const batch = this.#batches[i];
      if (batch === undefined || batch.revision > to) break;
      for (const row of batch.rows) if (inBounds(row.key, bounds)) out.push(row);
    }
    return out;
  }

  commit(commit: Commit): void {
    for (const row of commit.rows) {
      let history = this.#byKey.get(row.key);
      if (history === undefined) {
        history = [];
        this.#byKey.set(row.key, history);
        this.#keys.splice(lowerBound(this.#keys, (k) => compareKeys(k, row.key) < 0), 0, row.key);
      }
      history.push(row);
    }
    if (commit.rows.length > 0) {
      this.#batches.push({ revision: commit.revision, rows: commit.rows });
      this.#revision = commit.revision;
    }
    for (const id of commit.revokedLeases) this.#leases.delete(id);
  }

  grantLease(ttl: number): StoredLease {
    const lease = { id: this.#nextLease++, ttl };
    this.#leases.set(lease.id, lease);
    return lease;
  }

  leases(): StoredLease[] {
    return [...this.#leases.values()];
  }

  compact(revision: number): void {
    // Only keys changed in [previous compaction, revision] can have rows that became removable.
    const first = lowerBound(this.#batches, (b) => b.revision < this.#compacted);
    for (let i = first; i < this.#batches.length; i++) {
      const batch = this.#batches[i];
      if (batch === undefined || batch.revision > revision) break;
      for (const row of batch.rows) this.#trim(row.key, revision);
    }
    this.#batches.splice(0, lowerBound(this.#batches, (b) => b.revision < revision));
    this.#compacted = revision;
  }

  #trim(key: string, revision: number): void {
    const history = this.#byKey.get(key);
    if (history === undefined) return;
    let keep = lowerBound(history, (r) => r.modRevision <= revision) - 1;
    if (keep < 0) return;
    const base = history[keep];
    if (base !== undefined && base.deleted && base.modRevision < revision) keep++;
    history.splice(0, keep);
    if (history.length === 0) {
      this.#byKey.delete(key);
      this.#keys.splice(lowerBound(this.#keys, (k) => compareKeys(k, key) < 0), 1);
    }
  }

  close(): void {
    this.#byKey.clear();
    this.#keys.length = 0;
    this.#batches.length = 0;
  }
}

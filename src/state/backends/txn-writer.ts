// One transaction branch being applied: the ops run in order against the engine's current state
// plus this branch's own earlier writes (an overlay), producing the rows to commit and the watch
// events to publish. It owns read-your-writes inside a txn and the per-branch validity rules; it
// must never commit, publish or touch timers (log-store.ts does, after the whole branch applied).
import type { KeyBounds } from '../keys.js';
import { boundsOf, boundsOverlap, compareKeys, inBounds, validateKey } from '../keys.js';
import type { KeyValue, Op, OpResult, WatchEvent } from '../kv.js';
import { InvalidRequestError, LeaseNotFoundError } from '../errors.js';
import type { LogEngine, LogRow } from './engine.js';

export function toKeyValue(row: LogRow, keysOnly = false): KeyValue {
  const kv = { key: row.key, value: keysOnly ? '' : row.value, createRevision: row.createRevision, modRevision: row.modRevision, version: row.version };
  return row.lease !== 0 ? { ...kv, lease: row.lease } : kv;
}

/** A watch event for a stored row; `prev` is the live row it replaced, if any. */
export function toEvent(row: LogRow, prev: LogRow | undefined): WatchEvent {
  const kv = row.deleted ? { key: row.key, value: '', createRevision: 0, modRevision: row.modRevision, version: 0 } : toKeyValue(row);
  return prev !== undefined ? { type: row.deleted ? 'delete' : 'put', kv, prevKv: toKeyValue(prev) } : { type: row.deleted ? 'delete' : 'put', kv };
}

/** Reject a branch etcd would reject: a key put twice, or put and deleted, in one branch. */
export function validateBranch(ops: readonly Op[]): void {
  const puts = new Set<string>();
  const deletes: KeyBounds[] = [];
  for (const o of ops) {
    if (o.type === 'put') {
      validateKey(o.key);
      if (typeof o.value !== 'string') throw new InvalidRequestError(`value of ${JSON.stringify(o.key)} must be a string`);
      if (puts.has(o.key)) throw new InvalidRequestError(`duplicate key ${JSON.stringify(o.key)} in one transaction branch`);
      puts.add(o.key);
    } else if (o.type === 'delete') {
      deletes.push(boundsOf(o.range));
    } else {
      boundsOf(o.range);
    }
  }
  for (const key of puts) {
    const point = { start: key, end: key + '\0' };
    if (deletes.some((d) => boundsOverlap(d, point))) {
      throw new InvalidRequestError(`key ${JSON.stringify(key)} is both put and deleted in one transaction branch`);
    }
  }
}

export class TxnWriter {
  readonly rows: LogRow[] = [];
  /** Live row each entry of `rows` replaced, index for index. */
  readonly prevRows: (LogRow | undefined)[] = [];
  readonly events: WatchEvent[] = [];
  readonly #overlay = new Map<string, LogRow>();

  constructor(
    private readonly engine: LogEngine,
    /** The revision the branch reads at; its writes get base + 1. */
    readonly base: number,
    private readonly leaseExists: (id: number) => boolean,
    /** Validates (compacted, future) and serves a read at an explicit revision, without this branch's writes. */
    private readonly readAt: (bounds: KeyBounds, revision: number, limit: number) => { rows: LogRow[]; count: number },
  ) {}

  get revision(): number {
    return this.base + 1;
  }

  apply(o: Op): OpResult {
    switch (o.type) {
      case 'put': {
        const prev = this.put(o.key, o.value, o.options?.lease ?? 0);
        return o.options?.prevKv === true && prev !== undefined ? { type: 'put', prevKv: toKeyValue(prev) } : { type: 'put' };
      }
      case 'delete': {
        const prevs = this.delete(boundsOf(o.range));
        return o.options?.prevKv === true ? { type: 'delete', deleted: prevs.length, prevKvs: prevs.map((r) => toKeyValue(r)) } : { type: 'delete', deleted: prevs.length };
      }
      case 'range': {
        const opts = o.options ?? {};
        const limit = opts.limit ?? 0;
        const bounds = boundsOf(o.range);
        const revision = opts.revision ?? 0;
        const { rows, count } = revision > 0 ? this.readAt(bounds, revision, limit) : this.range(bounds, limit);
        const kvs = opts.countOnly === true ? [] : rows.map((r) => toKeyValue(r, opts.keysOnly === true));
        return { type: 'range', kvs, count, more: limit > 0 && count > rows.length, revision: this.rows.length > 0 ? this.revision : this.base };
      }
    }
  }

  /** The live row of `key` as this branch sees it. */
  current(key: string): LogRow | undefined {
    const row = this.#overlay.get(key) ?? this.engine.latest(key);
    return row === undefined || row.deleted ? undefined : row;
  }

  /** Returns the live row the put replaced. */
  put(key: string, value: string, lease: number): LogRow | undefined {
    if (lease !== 0 && !this.leaseExists(lease)) throw new LeaseNotFoundError(lease);
    const prev = this.current(key);
    const rev = this.revision;
    this.#write(
      { key, value, modRevision: rev, createRevision: prev?.createRevision ?? rev, version: (prev?.version ?? 0) + 1, lease, deleted: false, prevRevision: prev?.modRevision ?? 0 },
      prev,
    );
    return prev;
  }

  /** Deletes every live key in `bounds`; returns the deleted rows in key order. */
  delete(bounds: KeyBounds): LogRow[] {
    const { rows } = this.range(bounds, 0);
    for (const prev of rows) {
      this.#write({ key: prev.key, value: '', modRevision: this.revision, createRevision: 0, version: 0, lease: 0, deleted: true, prevRevision: prev.modRevision }, prev);
    }
    return rows;
  }

  /** Current state in `bounds` including this branch's writes. */
  range(bounds: KeyBounds, limit: number): { rows: LogRow[]; count: number } {
    const touched = [...this.#overlay.values()].filter((r) => inBounds(r.key, bounds));
    if (touched.length === 0) return this.engine.range(bounds, this.base, limit);
    // Fetching `limit + touched` base rows is enough: the overlay can remove at most that many.
    const base = this.engine.range(bounds, this.base, limit === 0 ? 0 : limit + touched.length);
    let count = base.count;
    const byKey = new Map(base.rows.map((r) => [r.key, r]));
    for (const row of touched) {
      const before = this.engine.latest(row.key);
      const existed = before !== undefined && !before.deleted;
      if (row.deleted) {
        if (existed) count--;
        byKey.delete(row.key);
      } else {
        if (!existed) count++;
        byKey.set(row.key, row);
      }
    }
    const rows = [...byKey.values()].sort((a, b) => compareKeys(a.key, b.key));
    return { rows: limit === 0 ? rows : rows.slice(0, limit), count };
  }

  #write(row: LogRow, prev: LogRow | undefined): void {
    this.rows.push(row);
    this.prevRows.push(prev);
    this.events.push(toEvent(row, prev));
    this.#overlay.set(row.key, row);
  }
}

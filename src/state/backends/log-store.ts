// The KV interface (kv.ts) over a LogEngine: transaction evaluation, revision assignment, watch
// publication, lease bookkeeping and automatic compaction, written once for every embedded
// engine (memory, sqlite). It owns the store's lifecycle: close() stops the lease timer, cancels
// watchers and closes the engine. It must never hold state the engine could not rebuild on open,
// except lease deadlines (restarted on open by design).
//
// Everything a call does happens synchronously inside it, before the returned promise settles, so
// transactions are atomic and serialised within the process without locks.
//
// Retention: after each write, history older than `historyRetention` revisions (default 10,000)
// is compacted, in steps of a tenth of that, so old-revision reads and watch replay reach at
// least that far back.
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { CompactedError, FutureRevisionError, InvalidRequestError, LeaseNotFoundError, StoreClosedError } from '../errors.js';
import type { KeyBounds } from '../keys.js';
import { boundsOf, compareKeys, validateKey } from '../keys.js';
import type {
  Compare, DeleteOptions, DeleteResult, KV, KeyRange, KeyValue, Lease, PutOptions, PutResult, RangeOptions, RangeResult, TxnRequest, TxnResult, WatchBatch,
  WatchOptions, Watcher,
} from '../kv.js';
import { op, toRange } from '../kv.js';
import type { LogEngine, LogRow } from './engine.js';
import { LeaseKeeper } from './lease-keeper.js';
import { TxnWriter, toEvent, validateBranch } from './txn-writer.js';
import { DEFAULT_WATCH_BUFFER_LIMIT, WatchHub } from './watch-hub.js';

export const DEFAULT_HISTORY_RETENTION = 10_000;

export interface LogStoreOptions {
  /** Drives lease expiry; tests pass a ManualClock. */
  readonly clock?: Clock;
  /** Revisions of history kept (see header); Infinity keeps everything until compact() is called. */
  readonly historyRetention?: number;
  /** Events a watcher may buffer before it is cancelled (watch-hub.ts). */
  readonly watchBufferLimit?: number;
  /** Errors of background work (lease expiry, auto-compaction) that no caller awaits. */
  readonly onError?: (error: unknown) => void;
}

const ALL: KeyBounds = { start: '', end: undefined };

export class LogStore implements KV {
  #closed = false;
  readonly #hub: WatchHub;
  readonly #keeper: LeaseKeeper;
  /** Keys currently attached to each lease. */
  readonly #leaseKeys = new Map<number, Set<string>>();
  readonly #retention: number;
  readonly #onError: (error: unknown) => void;

  constructor(
    private readonly engine: LogEngine,
    options: LogStoreOptions = {},
  ) {
    this.#retention = options.historyRetention ?? DEFAULT_HISTORY_RETENTION;
    if (!(this.#retention >= 1)) throw new InvalidRequestError('historyRetention must be at least 1');
    this.#onError = options.onError ?? ((err) => console.error('roam state store:', err));
    this.#hub = new WatchHub(
      { revision: () => engine.revision(), compactRevision: () => engine.compactRevision(), history: (from, to, b) => this.#history(from, to, b) },
      options.watchBufferLimit ?? DEFAULT_WATCH_BUFFER_LIMIT,
    );
    this.#keeper = new LeaseKeeper(options.clock ?? systemClock, (id) => this.#revoke(id), this.#onError);
    for (const lease of engine.leases()) this.#keeper.add(lease);
    for (const row of engine.range(ALL, engine.revision(), 0).rows) this.#attach(row);
  }

  async get(key: string, options: { readonly revision?: number } = {}): Promise<KeyValue | undefined> {
    validateKey(key);
    const result = await this.range({ key }, options.revision === undefined ? { limit: 1 } : { limit: 1, revision: options.revision });
    return result.kvs[0];
  }

  async range(range: KeyRange, options: RangeOptions = {}): Promise<RangeResult> {
    const result = await this.txn({ success: [op.range(range, options)] });
    const first = result.results[0];
    if (first?.type !== 'range') throw new Error('internal: range op produced no range result');
    return { kvs: first.kvs, count: first.count, more: first.more, revision: first.revision };
  }

  async put(key: string, value: string, options?: PutOptions): Promise<PutResult> {
    const { revision, results } = await this.txn({ success: [op.put(key, value, options)] });
    const first = results[0];
    return first?.type === 'put' && first.prevKv !== undefined ? { revision, prevKv: first.prevKv } : { revision };
  }

  async delete(range: string | KeyRange, options?: DeleteOptions): Promise<DeleteResult> {
    const { revision, results } = await this.txn({ success: [op.delete(toRange(range), options)] });
    const first = results[0];
    if (first?.type !== 'delete') throw new Error('internal: delete op produced no delete result');
    return first.prevKvs !== undefined ? { revision, deleted: first.deleted, prevKvs: first.prevKvs } : { revision, deleted: first.deleted };
  }

  txn(request: TxnRequest): Promise<TxnResult> {
    try {
      return Promise.resolve(this.#txn(request));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  watch(range: KeyRange, options: WatchOptions = {}): Watcher {
    this.#assertOpen();
    return this.#hub.watch(boundsOf(range), options.fromRevision ?? 0, options.prevKv === true);
  }

  async grantLease(ttlSeconds: number): Promise<Lease> {
    this.#assertOpen();
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) throw new InvalidRequestError(`lease TTL must be a whole number of seconds >= 1, got ${ttlSeconds}`);
    const lease = this.engine.grantLease(ttlSeconds);
    this.#keeper.add(lease);
    return { id: lease.id, ttl: lease.ttl };
  }

  async keepAlive(id: number): Promise<Lease> {
    this.#assertOpen();
    const lease = this.#keeper.live(id);
    if (lease === undefined) {
      if (this.#keeper.has(id)) this.#revoke(id); // past its deadline; the timer has not run yet
      throw new LeaseNotFoundError(id);
    }
    this.#keeper.add(lease);
    return lease;
  }

  async revokeLease(id: number): Promise<void> {
    this.#assertOpen();
    if (!this.#keeper.has(id)) throw new LeaseNotFoundError(id);
    this.#revoke(id);
  }

  async currentRevision(): Promise<number> {
    this.#assertOpen();
    return this.engine.revision();
  }

  async compact(revision: number): Promise<void> {
    this.#assertOpen();
    const current = this.engine.revision();
    if (revision > current) throw new FutureRevisionError(revision, current);
    const compacted = this.engine.compactRevision();
    if (revision <= compacted) throw new CompactedError(revision, compacted);
    this.engine.compact(revision);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#keeper.close();
    this.#hub.cancelAll(new StoreClosedError());
    this.engine.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  #txn(request: TxnRequest): TxnResult {
    this.#assertOpen();
    const compares = request.compare ?? [];
    const success = request.success ?? [];
    const failure = request.failure ?? [];
    for (const c of compares) validateKey(c.key);
    validateBranch(success);
    validateBranch(failure);
    const succeeded = compares.every((c) => this.#holds(c));
    const writer = this.#writer();
    const results = (succeeded ? success : failure).map((o) => writer.apply(o));
    return { succeeded, revision: this.#commit(writer, []), results };
  }

  #writer(): TxnWriter {
    return new TxnWriter(this.engine, this.engine.revision(), (id) => this.#keeper.live(id) !== undefined, (bounds, revision, limit) => {
      const current = this.engine.revision();
      if (revision > current) throw new FutureRevisionError(revision, current);
      const compacted = this.engine.compactRevision();
      if (revision < compacted) throw new CompactedError(revision, compacted);
      return this.engine.range(bounds, revision, limit);
    });
  }

  #holds(c: Compare): boolean {
    const row = this.engine.latest(c.key);
    const kv = row === undefined || row.deleted ? undefined : row;
    if (c.target === 'value') return kv !== undefined && test(compareKeys(kv.value, c.value), c.op);
    const actual = kv === undefined ? 0 : c.target === 'createRevision' ? kv.createRevision : c.target === 'modRevision' ? kv.modRevision : c.target === 'version' ? kv.version : kv.lease;
    return test(actual - c.value, c.op);
  }

  /** Persist a writer's changes (if any) and publish them; returns the revision after. */
  #commit(writer: TxnWriter, revokedLeases: number[]): number {
    if (writer.rows.length === 0 && revokedLeases.length === 0) return writer.base;
    const revision = writer.rows.length > 0 ? writer.revision : writer.base;
    this.engine.commit({ revision, rows: writer.rows, revokedLeases });
    writer.rows.forEach((row, i) => {
      const prev = writer.prevRows[i];
      if (prev !== undefined && prev.lease !== 0) this.#leaseKeys.get(prev.lease)?.delete(row.key);
      this.#attach(row);
    });
    for (const id of revokedLeases) {
      this.#leaseKeys.delete(id);
      this.#keeper.delete(id);
    }
    if (writer.rows.length > 0) {
      this.#hub.publish({ revision, events: writer.events });
      this.#autoCompact(revision);
    }
    return revision;
  }

  #attach(row: LogRow): void {
    if (row.deleted || row.lease === 0) return;
    let keys = this.#leaseKeys.get(row.lease);
    if (keys === undefined) this.#leaseKeys.set(row.lease, (keys = new Set()));
    keys.add(row.key);
  }

  /** Delete a lease and its keys in one revision (none if it has no keys). */
  #revoke(id: number): void {
    this.#assertOpen();
    const writer = this.#writer();
    const keys = [...(this.#leaseKeys.get(id) ?? [])].sort(compareKeys);
    for (const key of keys) writer.delete({ start: key, end: key + '\0' });
    this.#commit(writer, [id]);
  }

  #autoCompact(revision: number): void {
    const step = Math.max(1, Math.ceil(this.#retention / 10));
    if (revision - this.engine.compactRevision() < this.#retention + step) return;
    try {
      this.engine.compact(revision - this.#retention);
    } catch (err) {
      this.#onError(err);
    }
  }

  #history(from: number, to: number, bounds: KeyBounds): WatchBatch[] {
    this.#assertOpen();
    const batches: { revision: number; events: ReturnType<typeof toEvent>[] }[] = [];
    for (const row of this.engine.history(from, to, bounds)) {
      const prev = row.prevRevision === 0 ? undefined : this.engine.rowAt(row.key, row.prevRevision);
      const event = toEvent(row, prev !== undefined && !prev.deleted ? prev : undefined);
      const last = batches.at(-1);
      if (last !== undefined && last.revision === row.modRevision) last.events.push(event);
      else batches.push({ revision: row.modRevision, events: [event] });
    }
    return batches;
  }
}

function test(diff: number, operator: Compare['op']): boolean {
  switch (operator) {
    case '=':
      return diff === 0;
    case '!=':
      return diff !== 0;
    case '<':
      return diff < 0;
    case '>':
      return diff > 0;
  }
}

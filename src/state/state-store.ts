// The server's typed state cache: it loads everything under the Roam prefix from the KV store,
// then follows the store's watch, applying each transaction's changes as one step, so readers
// always see whole transactions. It hands out immutable snapshots and lets callers wait for a
// revision (read-your-writes after a transaction, blocking queries). It never writes.
import type { Logger } from '../structs/logger.js';
import type { KV, Watcher } from './kv.js';
import { ROOT_PREFIX, type TableName } from './schema.js';
import { StateSnapshot } from './snapshot.js';
import { applyChange, applyChangeWithRow, emptyTables, type RowChange, type Tables } from './tables.js';

interface Waiter {
  minRevision: number;
  resolve: (s: StateSnapshot) => void;
  reject: (e: Error) => void;
}

type ChangeListener = (snap: StateSnapshot, changed: ReadonlySet<TableName>, rows: readonly RowChange[]) => void;

export class StateStore {
  private tables: Tables = emptyTables();
  private current: StateSnapshot = new StateSnapshot(this.tables);
  private watcher: Watcher | undefined;
  private loop: Promise<void> | undefined;
  private waiters: Waiter[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private failed: Error | undefined;

  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  /** Loads the current state, then follows changes until stop(). */
  async start(): Promise<void> {
    // Watch first, then read: the watch catches every write after the read's revision.
    const rev = await this.kv.currentRevision();
    const all = await this.kv.range({ prefix: ROOT_PREFIX }, { revision: rev });
    const t = emptyTables();
    // Job versions referenced by allocations must be in place before the allocations.
    const ordered = [...all.kvs].sort((a, b) => rank(a.key) - rank(b.key));
    for (const kv of ordered) {
      const table = applyChange(t, 'put', kv);
      if (table) t.tableIndex = t.tableIndex.set(table, Math.max(t.tableIndex.get(table) ?? 0, kv.modRevision));
    }
    t.revision = all.revision;
    this.publish(t, new Set(), []);
    this.watcher = this.kv.watch({ prefix: ROOT_PREFIX }, { fromRevision: all.revision + 1 });
    this.loop = this.follow(this.watcher);
  }

  private async follow(w: Watcher): Promise<void> {
    try {
      for await (const batch of w) {
        const t: Tables = { ...this.tables };
        const changed = new Set<TableName>();
        const rows: RowChange[] = [];
        const events = [...batch.events].sort((a, b) => rank(a.kv.key) - rank(b.kv.key));
        for (const ev of events) {
          const row = applyChangeWithRow(t, ev.type, ev.kv);
          if (!row) continue;
          changed.add(row.table);
          rows.push(row);
        }
        for (const table of changed) t.tableIndex = t.tableIndex.set(table, batch.revision);
        t.revision = batch.revision;
        this.publish(t, changed, rows);
      }
    } catch (err) {
      this.failed = err as Error;
      this.logger.error('state watch failed; reads are frozen at the last revision', { error: err as Error, revision: this.tables.revision });
      for (const w of this.waiters) w.reject(this.failed);
      this.waiters = [];
    }
  }

  private publish(t: Tables, changed: ReadonlySet<TableName>, rows: readonly RowChange[]): void {
    this.tables = t;
    this.current = new StateSnapshot(t);
    const ready = this.waiters.filter((w) => w.minRevision <= t.revision);
    this.waiters = this.waiters.filter((w) => w.minRevision > t.revision);
    for (const w of ready) w.resolve(this.current);
    for (const l of this.listeners) {
      try {
        l(this.current, changed, rows);
      } catch (err) {
        this.logger.error('state change listener failed', { error: err as Error });
      }
    }
  }

  snapshot(): StateSnapshot {
    return this.current;
  }

  /** A snapshot at least as new as `revision` (resolves at once if already there). */
  waitForRevision(revision: number, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<StateSnapshot> {
    if (this.current.revision >= revision) return Promise.resolve(this.current);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<StateSnapshot>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      const waiter: Waiter = {
        minRevision: revision,
        resolve: (s) => {
          done();
          resolve(s);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      const onAbort = (): void => waiter.resolve(this.current);
      if (opts.timeoutMs !== undefined) timer = setTimeout(() => waiter.resolve(this.current), opts.timeoutMs);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Calls `fn` after every applied transaction with the tables it changed. Returns an unsubscribe. */
  onChange(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    await this.loop;
    for (const w of this.waiters) w.resolve(this.current);
    this.waiters = [];
    this.listeners.clear();
  }
}

/** Apply order inside one batch: stored job versions for allocations first. */
function rank(key: string): number {
  return key.startsWith(`${ROOT_PREFIX}alloc_jobs/`) ? 0 : 1;
}

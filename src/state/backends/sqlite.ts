// The sqlite backend (better-sqlite3): the default store of a persistent single server. It owns
// the database file: a kine-style log with one row per key change (current state derived through
// the (key, revision) index), the lease table and the meta table (schema version, revision,
// compacted revision, lease ID counter). It must never acknowledge a write before it is durable:
// WAL with synchronous = FULL, so a resolved txn survives kill -9 and power loss.
//
// One process per file: the connection takes SQLite's exclusive lock (locking_mode = EXCLUSIVE)
// and holds it until close(), so a second opener fails after the busy timeout instead of writing
// behind this process's back.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { KeyBounds } from '../keys.js';
import { KvError } from '../errors.js';
import type { KV } from '../kv.js';
import type { Commit, LogEngine, LogRow, StoredLease } from './engine.js';
import type { LogStoreOptions } from './log-store.js';
import { LogStore } from './log-store.js';

export interface SqliteKvOptions extends LogStoreOptions {
  /** How long to wait for a lock held by another process before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/** The file was written by a newer Roam (unknown schema version) or is not a Roam store. */
export class IncompatibleStoreError extends KvError {
  override name = 'IncompatibleStoreError';
}

/** Open (creating if needed) the store at `path`; `:memory:` gives a throwaway database. */
export function openSqliteKv(path: string, options: SqliteKvOptions = {}): KV {
  return new LogStore(new SqliteEngine(path, options.busyTimeoutMs ?? 5000), options);
}

/** Migration i takes the schema from version i to i + 1; append only, never edit. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE kv (
     revision INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     create_revision INTEGER NOT NULL,
     prev_revision INTEGER NOT NULL,
     version INTEGER NOT NULL,
     lease INTEGER NOT NULL,
     deleted INTEGER NOT NULL,
     PRIMARY KEY (revision, seq));
   CREATE UNIQUE INDEX kv_key_revision ON kv (key, revision);
   CREATE TABLE leases (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);`,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

interface SqlRow {
  revision: number;
  key: string;
  value: string;
  create_revision: number;
  prev_revision: number;
  version: number;
  lease: number;
  deleted: number;
}

function fromSql(r: SqlRow): LogRow {
  return { key: r.key, value: r.value, modRevision: r.revision, createRevision: r.create_revision, version: r.version, lease: r.lease, deleted: r.deleted !== 0, prevRevision: r.prev_revision };
}

export class SqliteEngine implements LogEngine {
  readonly #db: Db;
  readonly #stmts = new Map<string, Statement>();
  #revision: number;
  #compacted: number;
  #nextLease: number;

  constructor(path: string, busyTimeoutMs: number) {
    this.#db = new Database(path, { timeout: busyTimeoutMs });
    try {
      this.#db.pragma('locking_mode = EXCLUSIVE');
      const mode = this.#db.pragma('journal_mode = WAL', { simple: true });
      if (path !== ':memory:' && mode !== 'wal') throw new IncompatibleStoreError(`could not switch ${path} to WAL mode (got ${String(mode)})`);
      this.#db.pragma('synchronous = FULL');
      this.#migrate();
      this.#revision = this.#meta('revision');
      this.#compacted = this.#meta('compact_revision');
      this.#nextLease = Math.max(1, this.#meta('next_lease_id'));
    } catch (err) {
      this.#db.close();
      throw err;
    }
  }

  #migrate(): void {
    // BEGIN IMMEDIATE takes the write lock now, which exclusive locking mode then keeps.
    this.#db.transaction(() => {
      const hasMeta = this.#db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get() !== undefined;
      const from = hasMeta ? this.#meta('schema_version') : 0;
      if (from > SCHEMA_VERSION) throw new IncompatibleStoreError(`store schema version ${from} is newer than this Roam understands (${SCHEMA_VERSION})`);
      if (!hasMeta && this.#db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table'`).get() !== undefined) {
        throw new IncompatibleStoreError('the file holds tables but is not a Roam state store');
      }
      for (let v = from; v < SCHEMA_VERSION; v++) this.#db.exec(MIGRATIONS[v] ?? '');
      this.#setMeta('schema_version', SCHEMA_VERSION);
    }).immediate();
  }

  #stmt(sql: string): Statement {
    let s = this.#stmts.get(sql);
    if (s === undefined) this.#stmts.set(sql, (s = this.#db.prepare(sql)));
    return s;
  }

  #meta(name: string): number {
    const row = this.#stmt('SELECT value FROM meta WHERE name = ?').get(name) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  #setMeta(name: string, value: number): void {
    this.#stmt('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  revision(): number {
    return this.#revision;
  }

  compactRevision(): number {
    return this.#compacted;
  }

  latest(key: string): LogRow | undefined {
    const r = this.#stmt('SELECT * FROM kv WHERE key = ? ORDER BY revision DESC LIMIT 1').get(key) as SqlRow | undefined;
    return r === undefined ? undefined : fromSql(r);
  }

  rowAt(key: string, revision: number): LogRow | undefined {
    const r = this.#stmt('SELECT * FROM kv WHERE key = ? AND revision = ?').get(key, revision) as SqlRow | undefined;
    return r === undefined ? undefined : fromSql(r);
  }

  range(bounds: KeyBounds, revision: number, limit: number): { rows: LogRow[]; count: number } {
    const end = bounds.end === undefined ? '' : 'AND key < @end';
    const latest = `FROM kv JOIN (SELECT key AS k, MAX(revision) AS r FROM kv WHERE key >= @start ${end} AND revision <= @rev GROUP BY key) m
      ON kv.key = m.k AND kv.revision = m.r WHERE kv.deleted = 0`;
    const params = bounds.end === undefined ? { start: bounds.start, rev: revision } : { start: bounds.start, end: bounds.end, rev: revision };
    const rows = (this.#stmt(`SELECT kv.* ${latest} ORDER BY kv.key LIMIT @limit`).all({ ...params, limit: limit === 0 ? -1 : limit }) as SqlRow[]).map(fromSql);
    if (limit === 0 || rows.length < limit) return { rows, count: rows.length };
    const { n } = this.#stmt(`SELECT COUNT(*) AS n ${latest}`).get(params) as { n: number };
    return { rows, count: n };
  }

  history(from: number, to: number, bounds: KeyBounds): LogRow[] {
    const end = bounds.end === undefined ? '' : 'AND key < @end';
    const params = bounds.end === undefined ? { from, to, start: bounds.start } : { from, to, start: bounds.start, end: bounds.end };
    const sql = `SELECT * FROM kv WHERE revision >= @from AND revision <= @to AND key >= @start ${end} ORDER BY revision, seq`;
    return (this.#stmt(sql).all(params) as SqlRow[]).map(fromSql);
  }

  commit(commit: Commit): void {
    const insert = this.#stmt(
      'INSERT INTO kv (revision, seq, key, value, create_revision, prev_revision, version, lease, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#db.transaction(() => {
      commit.rows.forEach((r, seq) => insert.run(r.modRevision, seq, r.key, r.value, r.createRevision, r.prevRevision, r.version, r.lease, r.deleted ? 1 : 0));
      if (commit.rows.length > 0) this.#setMeta('revision', commit.revision);
      for (const id of commit.revokedLeases) this.#stmt('DELETE FROM leases WHERE id = ?').run(id);
    })();
    if (commit.rows.length > 0) this.#revision = commit.revision;
  }

  grantLease(ttl: number): StoredLease {
    const id = this.#nextLease;
    this.#db.transaction(() => {
      this.#stmt('INSERT INTO leases (id, ttl) VALUES (?, ?)').run(id, ttl);
      this.#setMeta('next_lease_id', id + 1);
    })();
    this.#nextLease = id + 1;
    return { id, ttl };
  }

  leases(): StoredLease[] {
    return this.#stmt('SELECT id, ttl FROM leases ORDER BY id').all() as StoredLease[];
  }

  compact(revision: number): void {
    const prev = this.#compacted;
    this.#db.transaction(() => {
      // Rows superseded by a change in (prev, revision]; older supersessions went at earlier compactions.
      this.#stmt(
        `DELETE FROM kv WHERE rowid IN (SELECT old.rowid FROM kv AS newer JOIN kv AS old ON old.key = newer.key AND old.revision < newer.revision
           WHERE newer.revision > @prev AND newer.revision <= @revision)`,
      ).run({ prev, revision });
      this.#stmt('DELETE FROM kv WHERE deleted = 1 AND revision >= @prev AND revision < @revision').run({ prev, revision });
      this.#setMeta('compact_revision', revision);
    })();
    this.#compacted = revision;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

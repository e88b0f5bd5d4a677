// The client's own state database (Nomad's client/state, BoltDB there, SQLite here): per
// allocation the allocation itself and the state last acknowledged by the servers, per task its
// TaskState and its local state (the driver handle and the config it was started with, hook state,
// whether the run completed). It is what lets tasks survive an agent restart. A dev agent uses
// the no-op database and restores nothing, as Nomad's dev mode does.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ClientAllocUpdate } from '../api/internal.js';
import type { Allocation, TaskState } from '../structs/alloc.js';
import type { CheckQueryResult } from '../structs/checks.js';
import type { TaskConfig, TaskHandle } from '../drivers/driver.js';

/** What a task runner needs to pick up where it left off (Nomad's trstate.LocalState). */
export interface LocalTaskState {
  /** The running task's driver handle; null when no task is running. */
  handle: TaskHandle | null;
  /** The config the running task was started with (recoverTask needs it). */
  taskConfig: TaskConfig | null;
  /** Per-hook persisted data (e.g. "done" markers). */
  hooks: Record<string, Record<string, string>>;
  /** The run loop finished: the task will not run again in this allocation. */
  runComplete: boolean;
}

export function emptyLocalState(): LocalTaskState {
  return { handle: null, taskConfig: null, hooks: {}, runComplete: false };
}

export interface PersistedTask {
  taskState: TaskState | null;
  local: LocalTaskState | null;
}

export interface PersistedAlloc {
  alloc: Allocation;
  acknowledged: ClientAllocUpdate | null;
  tasks: Record<string, PersistedTask>;
}

export interface ClientStateDB {
  readonly persistent: boolean;
  allocations(): PersistedAlloc[];
  putAllocation(alloc: Allocation): void;
  putAcknowledged(allocID: string, update: ClientAllocUpdate): void;
  putTaskState(allocID: string, task: string, state: TaskState): void;
  putLocalState(allocID: string, task: string, local: LocalTaskState): void;
  /** Health-check results (Nomad's client checkstore): the latest result per check, by allocation. */
  checkResults(): Map<string, CheckQueryResult[]>;
  putCheckResult(allocID: string, result: CheckQueryResult): void;
  /** Deletes the given checks of an allocation, or all of them when `checkIDs` is omitted. */
  deleteCheckResults(allocID: string, checkIDs?: readonly string[]): void;
  deleteAllocation(allocID: string): void;
  close(): void;
}

/** Dev mode: nothing is written, nothing is restored. */
export class NoopStateDB implements ClientStateDB {
  readonly persistent = false;
  allocations(): PersistedAlloc[] {
    return [];
  }
  putAllocation(): void {}
  putAcknowledged(): void {}
  putTaskState(): void {}
  putLocalState(): void {}
  checkResults(): Map<string, CheckQueryResult[]> {
    return new Map();
  }
  putCheckResult(): void {}
  deleteCheckResults(): void {}
  deleteAllocation(): void {}
  close(): void {}
}

const SCHEMA_VERSION = 1;

export class SqliteStateDB implements ClientStateDB {
  readonly persistent = true;
  private readonly db: Database.Database;
  private readonly stmts: {
    putAlloc: Database.Statement<[string, string]>;
    putAck: Database.Statement<[string, string]>;
    putTask: Database.Statement<[string, string, string]>;
    putLocal: Database.Statement<[string, string, string]>;
    delAlloc: Database.Statement<[string]>;
    delTasks: Database.Statement<[string]>;
    putCheck: Database.Statement<[string, string, string]>;
    delCheck: Database.Statement<[string, string]>;
    delChecks: Database.Statement<[string]>;
  };

  /** Opens (creating) `<stateDir>/state.db`. */
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file, { timeout: 5000 });
    fs.chmodSync(file, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS allocations (id TEXT PRIMARY KEY, alloc TEXT NOT NULL, acknowledged TEXT);
      CREATE TABLE IF NOT EXISTS tasks (alloc_id TEXT NOT NULL, task TEXT NOT NULL, task_state TEXT, local_state TEXT, PRIMARY KEY (alloc_id, task));
      CREATE TABLE IF NOT EXISTS checks (alloc_id TEXT NOT NULL, check_id TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (alloc_id, check_id));
    `);
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('version', String(SCHEMA_VERSION));
    this.stmts = {
      putAlloc: this.db.prepare('INSERT INTO allocations (id, alloc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET alloc = excluded.alloc'),
      putAck: this.db.prepare('UPDATE allocations SET acknowledged = ? WHERE id = ?'),
      putTask: this.db.prepare('INSERT INTO tasks (alloc_id, task, task_state) VALUES (?, ?, ?) ON CONFLICT(alloc_id, task) DO UPDATE SET task_state = excluded.task_state'),
      putLocal: this.db.prepare('INSERT INTO tasks (alloc_id, task, local_state) VALUES (?, ?, ?) ON CONFLICT(alloc_id, task) DO UPDATE SET local_state = excluded.local_state'),
      delAlloc: this.db.prepare('DELETE FROM allocations WHERE id = ?'),
      delTasks: this.db.prepare('DELETE FROM tasks WHERE alloc_id = ?'),
      putCheck: this.db.prepare('INSERT INTO checks (alloc_id, check_id, result) VALUES (?, ?, ?) ON CONFLICT(alloc_id, check_id) DO UPDATE SET result = excluded.result'),
      delCheck: this.db.prepare('DELETE FROM checks WHERE alloc_id = ? AND check_id = ?'),
      delChecks: this.db.prepare('DELETE FROM checks WHERE alloc_id = ?'),
    };
  }

  allocations(): PersistedAlloc[] {
    const rows = this.db.prepare('SELECT id, alloc, acknowledged FROM allocations').all() as { id: string; alloc: string; acknowledged: string | null }[];
    const taskRows = this.db.prepare('SELECT alloc_id, task, task_state, local_state FROM tasks').all() as { alloc_id: string; task: string; task_state: string | null; local_state: string | null }[];
    const out = new Map<string, PersistedAlloc>();
    for (const r of rows) out.set(r.id, { alloc: JSON.parse(r.alloc) as Allocation, acknowledged: r.acknowledged ? (JSON.parse(r.acknowledged) as ClientAllocUpdate) : null, tasks: {} });
    for (const t of taskRows) {
      const a = out.get(t.alloc_id);
      if (!a) continue;
      a.tasks[t.task] = { taskState: t.task_state ? (JSON.parse(t.task_state) as TaskState) : null, local: t.local_state ? (JSON.parse(t.local_state) as LocalTaskState) : null };
    }
    return [...out.values()];
  }

  putAllocation(alloc: Allocation): void {
    this.stmts.putAlloc.run(alloc.ID, JSON.stringify(alloc));
  }

  putAcknowledged(allocID: string, update: ClientAllocUpdate): void {
    this.stmts.putAck.run(JSON.stringify(update), allocID);
  }

  putTaskState(allocID: string, task: string, state: TaskState): void {
    this.stmts.putTask.run(allocID, task, JSON.stringify(state));
  }

  putLocalState(allocID: string, task: string, local: LocalTaskState): void {
    this.stmts.putLocal.run(allocID, task, JSON.stringify(local));
  }

  checkResults(): Map<string, CheckQueryResult[]> {
    const out = new Map<string, CheckQueryResult[]>();
    for (const r of this.db.prepare('SELECT alloc_id, result FROM checks').all() as { alloc_id: string; result: string }[]) {
      const list = out.get(r.alloc_id) ?? [];
      list.push(JSON.parse(r.result) as CheckQueryResult);
      out.set(r.alloc_id, list);
    }
    return out;
  }

  putCheckResult(allocID: string, result: CheckQueryResult): void {
    this.stmts.putCheck.run(allocID, result.ID, JSON.stringify(result));
  }

  deleteCheckResults(allocID: string, checkIDs?: readonly string[]): void {
    if (checkIDs === undefined) {
      this.stmts.delChecks.run(allocID);
      return;
    }
    this.db.transaction(() => {
      for (const id of checkIDs) this.stmts.delCheck.run(allocID, id);
    })();
  }

  deleteAllocation(allocID: string): void {
    this.db.transaction(() => {
      this.stmts.delChecks.run(allocID);
      this.stmts.delTasks.run(allocID);
      this.stmts.delAlloc.run(allocID);
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

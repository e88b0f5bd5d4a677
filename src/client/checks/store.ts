// The client's latest check results per allocation (Nomad's checkstore.Shim): the checks hook
// writes them, /v1/client/allocation/:id/checks and `alloc status` read them, and the check
// watcher polls their statuses for check_restart. Persisted in the client state DB as Nomad does —
// written when a check's status changes, not on every run — so after an agent restart a restored
// allocation reports its last known results until its checks run again.
import type { AllocCheckStatuses, CheckQueryResult } from '../../structs/checks.js';

/** Where results are kept across restarts (the client state DB; nothing in dev mode). */
export interface CheckPersistence {
  checkResults(): Map<string, CheckQueryResult[]>;
  putCheckResult(allocID: string, result: CheckQueryResult): void;
  deleteCheckResults(allocID: string, checkIDs?: readonly string[]): void;
}

export class CheckStore {
  private readonly current = new Map<string, Map<string, CheckQueryResult>>();
  private db: CheckPersistence | undefined;

  /** Persists results from now on, and loads the ones kept from before a restart. */
  attach(db: CheckPersistence): void {
    this.db = db;
    for (const [allocID, results] of db.checkResults()) {
      const m = new Map<string, CheckQueryResult>();
      for (const r of results) m.set(r.ID, r);
      this.current.set(allocID, m);
    }
  }

  /** Forgets (in memory) the results of allocations this client no longer runs, after a restore. */
  retainOnly(allocIDs: ReadonlySet<string>): void {
    for (const id of [...this.current.keys()]) if (!allocIDs.has(id)) this.current.delete(id);
  }

  /** Records the latest result; a pending stub never replaces a result that exists. */
  set(allocID: string, r: CheckQueryResult): void {
    let m = this.current.get(allocID);
    if (!m) this.current.set(allocID, (m = new Map()));
    const prev = m.get(r.ID);
    if (r.Status === 'pending' && prev) return;
    m.set(r.ID, r);
    if (!prev || prev.Status !== r.Status) this.db?.putCheckResult(allocID, r);
  }

  /** The allocation's results by check ID; null when none were ever recorded (Nomad answers null too). */
  list(allocID: string): AllocCheckStatuses | null {
    const m = this.current.get(allocID);
    if (!m) return null;
    return Object.fromEntries(m);
  }

  /** The stored check IDs of the allocation that are not in `ids`. */
  difference(allocID: string, ids: readonly string[]): string[] {
    const keep = new Set(ids);
    return [...(this.current.get(allocID)?.keys() ?? [])].filter((id) => !keep.has(id));
  }

  remove(allocID: string, ids: readonly string[]): void {
    const m = this.current.get(allocID);
    for (const id of ids) m?.delete(id);
    if (ids.length > 0) this.db?.deleteCheckResults(allocID, ids);
  }

  purge(allocID: string): void {
    this.current.delete(allocID);
    this.db?.deleteCheckResults(allocID);
  }

  /** check ID → status of every check on this client (what the check watcher polls). */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of this.current.values()) for (const [id, r] of m) out.set(id, r.Status);
    return out;
  }
}

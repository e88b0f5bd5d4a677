// The client's latest check results per allocation (Nomad's checkstore.Shim): the checks hook
// writes them, /v1/client/allocation/:id/checks and `alloc status` read them, and the check
// watcher polls their statuses for check_restart. Kept in memory: after an agent restart every
// check starts again from "pending" and is re-run by the restored allocation's checks hook.
import type { AllocCheckStatuses, CheckQueryResult } from '../../structs/checks.js';

export class CheckStore {
  private readonly current = new Map<string, Map<string, CheckQueryResult>>();

  /** Records the latest result; a pending stub never replaces a result that exists. */
  set(allocID: string, r: CheckQueryResult): void {
    let m = this.current.get(allocID);
    if (!m) this.current.set(allocID, (m = new Map()));
    if (r.Status === 'pending' && m.has(r.ID)) return;
    m.set(r.ID, r);
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
  }

  purge(allocID: string): void {
    this.current.delete(allocID);
  }

  /** check ID → status of every check on this client (what the check watcher polls). */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of this.current.values()) for (const [id, r] of m) out.set(id, r.Status);
    return out;
  }
}

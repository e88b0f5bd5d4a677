// The logic behind allocation endpoints: the client's view of its node's allocations (Nomad's
// Node.GetClientAllocs / Alloc.GetAllocs), the status updates clients send back (Node.UpdateAlloc,
// which also creates alloc-failure evaluations and drops service registrations of finished
// allocations), and stopping an allocation by hand.
import { keys, storedAlloc, THIS_WRITE } from '../state/schema.js';
import { isClientTerminal, type AllocClientStatus, type Allocation, type AllocDeploymentStatus, type AllocNetworkStatus, type TaskState } from '../structs/alloc.js';
import { EvalTrigger, type Evaluation } from '../structs/eval.js';
import { msToNanos } from '../structs/time.js';
import { blockingQuery, type BlockingOptions } from './blocking.js';
import type { ServerContext } from './context.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { newEval } from './evals.js';
import { del, put } from './state-writer.js';

/** What a client reports about one allocation. */
export interface ClientAllocUpdate {
  ID: string;
  ClientStatus: AllocClientStatus;
  ClientDescription?: string;
  TaskStates?: Record<string, TaskState> | null;
  DeploymentStatus?: AllocDeploymentStatus | null;
  NetworkStatus?: AllocNetworkStatus | null;
}

export class AllocEndpoints {
  constructor(private readonly ctx: ServerContext) {}

  private checkNode(nodeID: string, secretID: string): void {
    const node = this.ctx.store.snapshot().node(nodeID);
    if (!node) throw notFound(`node not found: ${nodeID}`);
    if (node.SecretID !== secretID) throw forbidden('node secret ID does not match');
  }

  /** The allocations on a node as {allocID: AllocModifyIndex}, as a blocking query. */
  async clientAllocs(nodeID: string, secretID: string, q: BlockingOptions): Promise<{ Allocs: Record<string, number>; Index: number }> {
    this.checkNode(nodeID, secretID);
    const r = await blockingQuery(this.ctx.store, q, (snap) => {
      const out: Record<string, number> = {};
      for (const a of snap.allocsByNode(nodeID)) out[a.ID] = a.AllocModifyIndex;
      return { value: out, index: snap.index('allocs') };
    });
    return { Allocs: r.value, Index: r.index };
  }

  getAllocs(ids: string[]): Allocation[] {
    const snap = this.ctx.store.snapshot();
    return ids.map((id) => snap.alloc(id)).filter((a): a is Allocation => a !== undefined);
  }

  /** Applies a batch of client updates in one transaction. */
  async updateFromClient(nodeID: string, secretID: string, updates: ClientAllocUpdate[]): Promise<{ Index: number }> {
    this.checkNode(nodeID, secretID);
    if (!Array.isArray(updates)) throw badRequest('expected a list of allocation updates');
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const ops = [];
      const evals: Evaluation[] = [];
      const evalJobs = new Set<string>();
      let freed = false;
      for (const u of updates) {
        const cur = snap.alloc(u.ID);
        if (!cur || cur.NodeID !== nodeID) continue;
        const next: Allocation = {
          ...cur,
          ClientStatus: u.ClientStatus,
          ClientDescription: u.ClientDescription ?? cur.ClientDescription,
          TaskStates: u.TaskStates ?? cur.TaskStates,
          DeploymentStatus: u.DeploymentStatus ?? cur.DeploymentStatus,
          NetworkStatus: u.NetworkStatus ?? cur.NetworkStatus,
          ModifyTime: msToNanos(now),
        };
        ops.push(put(keys.alloc(cur.ID), storedAlloc(next)));
        const becameTerminal = isClientTerminal(next.ClientStatus) && !isClientTerminal(cur.ClientStatus);
        if (becameTerminal) {
          freed = true;
          for (const s of snap.servicesByAlloc(cur.ID)) ops.push(del(keys.service(s.Namespace, s.ID)));
        }
        // A failed allocation the server still wants running gets an evaluation to reschedule it.
        if (next.ClientStatus === 'failed' && cur.ClientStatus !== 'failed' && next.DesiredStatus === 'run' && !next.FollowupEvalID && next.Job) {
          const job = snap.job(next.Namespace, next.JobID);
          const k = `${next.Namespace}\u0000${next.JobID}`;
          if (job && !job.Stop && !evalJobs.has(k)) {
            evalJobs.add(k);
            const ev = newEval({ job, triggeredBy: EvalTrigger.RetryFailedAlloc, jobModifyIndex: job.JobModifyIndex, now });
            evals.push(ev);
            ops.push(put(keys.eval(ev.ID), ev));
          }
        }
      }
      return { ops, result: { evals, freed } };
    });
    const written = committed.result.evals.map((e) => committed.snapshot.eval(e.ID)).filter((e): e is Evaluation => e !== undefined);
    this.ctx.evalsWritten(written);
    const node = committed.snapshot.node(nodeID);
    if (committed.result.freed && node) this.ctx.capacityChanged?.(node, committed.revision);
    return { Index: committed.revision };
  }

  /** Stops an allocation so it is replaced (Nomad's Alloc.Stop: migrate transition + an alloc-stop evaluation). */
  async stop(allocID: string, noShutdownDelay: boolean): Promise<{ EvalID: string; Index: number }> {
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const a = snap.alloc(allocID);
      if (!a) throw notFound(`alloc not found: ${allocID}`);
      const job = snap.job(a.Namespace, a.JobID) ?? a.Job;
      if (!job) throw notFound(`job for alloc ${allocID} not found`);
      const updated: Allocation = { ...a, DesiredTransition: { ...a.DesiredTransition, Migrate: true, NoShutdownDelay: noShutdownDelay || null }, AllocModifyIndex: THIS_WRITE, ModifyTime: msToNanos(now) };
      const ev = newEval({ job, triggeredBy: EvalTrigger.AllocStop, jobModifyIndex: job.JobModifyIndex, now });
      return { ops: [put(keys.alloc(a.ID), storedAlloc(updated)), put(keys.eval(ev.ID), ev)], result: ev };
    });
    const ev = committed.snapshot.eval(committed.result.ID);
    if (ev) this.ctx.evalsWritten([ev]);
    return { EvalID: committed.result.ID, Index: committed.revision };
  }
}

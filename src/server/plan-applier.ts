// The plan applier (Nomad's planApply): the single point where scheduling decisions become state.
// Plans are applied one at a time, each against the latest state: every node in the plan is
// re-checked (it exists, it is ready and eligible, the proposed allocations fit — CPU, memory,
// disk, ports); nodes that fit are committed, nodes that do not are rejected and the scheduler is
// told to refresh and retry (RefreshIndex). Expected outcomes are values, never exceptions.
import { capacityOf, exceededDimension, usageOf } from '../scheduler/fit.js';
import { NetworkIndex } from '../scheduler/network-index.js';
import type { Plan, PlanResult } from '../scheduler/planner.js';
import type { Op } from '../state/kv.js';
import { keys, storedAlloc, THIS_WRITE } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { isClientTerminal, isTerminalAlloc, type Allocation } from '../structs/alloc.js';
import type { Logger } from '../structs/logger.js';
import { msToNanos } from '../structs/time.js';
import { del, put, type StateWriter } from './state-writer.js';

export interface NodeVerdict {
  fits: boolean;
  reason: string;
}

/** Whether a node can take what the plan puts on it (Nomad's evaluateNodePlan). */
export function evaluateNodePlan(snap: StateSnapshot, plan: Plan, nodeID: string): NodeVerdict {
  const placing = plan.NodeAllocation[nodeID] ?? [];
  if (placing.length === 0) return { fits: true, reason: '' };
  const node = snap.node(nodeID);
  if (!node) return { fits: false, reason: 'node does not exist' };
  if (node.Status === 'down' || node.Status === 'disconnected') return { fits: false, reason: `node is ${node.Status}` };
  if (node.Status !== 'ready') return { fits: false, reason: 'node is not ready for placements' };
  const existing = snap.allocsByNode(nodeID, false);
  const existingIDs = new Set(existing.map((a) => a.ID));
  // Updates of allocations already there (in-place, attribute) are allowed even on an ineligible node.
  const onlyUpdates = placing.every((a) => existingIDs.has(a.ID));
  if (!onlyUpdates && node.SchedulingEligibility === 'ineligible') return { fits: false, reason: 'node is not eligible' };
  if (!onlyUpdates && node.DrainStrategy !== null) return { fits: false, reason: 'node is draining' };
  const removed = new Set<string>([...(plan.NodeUpdate[nodeID] ?? []), ...(plan.NodePreemptions[nodeID] ?? []), ...placing].map((a) => a.ID));
  const proposed: Allocation[] = existing.filter((a) => !removed.has(a.ID));
  for (const a of placing) if (!isTerminalAlloc(a)) proposed.push(a);
  const used = usageOf(proposed);
  const dim = exceededDimension(capacityOf(node), { cpu: used.cpu, memory: used.memory, disk: used.disk, cores: used.cores.size });
  if (dim) return { fits: false, reason: `resources exhausted: ${dim}` };
  const ports = new NetworkIndex(node);
  const collision = ports.addAllocs(proposed);
  if (collision) return { fits: false, reason: collision };
  return { fits: true, reason: '' };
}

export interface AppliedPlan {
  result: PlanResult;
}

export class PlanApplier {
  constructor(
    private readonly writer: StateWriter,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Applies a plan; resolves with what was committed. */
  async apply(plan: Plan): Promise<PlanResult> {
    const committed = await this.writer.txn((snap) => this.build(snap, plan));
    const result = committed.result;
    result.AllocIndex = committed.revision;
    if (result.RejectedNodes.length > 0) result.RefreshIndex = Math.max(committed.revision, snap0Index(committed.snapshot));
    return result;
  }

  private build(snap: StateSnapshot, plan: Plan): { ops: Op[]; result: PlanResult } {
    const result: PlanResult = { NodeUpdate: {}, NodeAllocation: {}, NodePreemptions: {}, Deployment: null, DeploymentUpdates: [], RejectedNodes: [], IneligibleNodes: [], RefreshIndex: 0, AllocIndex: 0 };
    const nodeIDs = new Set([...Object.keys(plan.NodeUpdate), ...Object.keys(plan.NodeAllocation)]);
    for (const nodeID of nodeIDs) {
      const verdict = evaluateNodePlan(snap, plan, nodeID);
      if (!verdict.fits) {
        this.logger.debug('plan for node rejected', { node_id: nodeID, reason: verdict.reason, eval_id: plan.EvalID });
        result.RejectedNodes.push(nodeID);
        if (plan.AllAtOnce) return { ops: [], result: { ...result, NodeUpdate: {}, NodeAllocation: {}, RefreshIndex: snap.revision } };
        continue;
      }
      if (plan.NodeUpdate[nodeID]?.length) result.NodeUpdate[nodeID] = plan.NodeUpdate[nodeID] ?? [];
      if (plan.NodeAllocation[nodeID]?.length) result.NodeAllocation[nodeID] = plan.NodeAllocation[nodeID] ?? [];
      if (plan.NodePreemptions[nodeID]?.length) result.NodePreemptions[nodeID] = plan.NodePreemptions[nodeID] ?? [];
    }
    result.Deployment = plan.Deployment;
    result.DeploymentUpdates = plan.DeploymentUpdates;
    return { ops: this.ops(snap, result), result };
  }

  private ops(snap: StateSnapshot, result: PlanResult): Op[] {
    const ops: Op[] = [];
    const nowNs = msToNanos(this.now());
    const written = new Map<string, Allocation>();
    const allocJobsWritten = new Set<string>();
    const write = (a: Allocation): void => {
      written.set(a.ID, a);
    };
    for (const list of [...Object.values(result.NodeUpdate), ...Object.values(result.NodePreemptions)]) {
      for (const stop of list) {
        const cur = written.get(stop.ID) ?? snap.alloc(stop.ID);
        if (!cur) continue;
        const next: Allocation = {
          ...cur,
          DesiredStatus: stop.DesiredStatus,
          DesiredDescription: stop.DesiredDescription,
          ClientStatus: stop.ClientStatus !== cur.ClientStatus && stop.ClientStatus ? stop.ClientStatus : cur.ClientStatus,
          FollowupEvalID: stop.FollowupEvalID || cur.FollowupEvalID,
          PreemptedByAllocation: stop.PreemptedByAllocation || cur.PreemptedByAllocation,
          AllocModifyIndex: THIS_WRITE,
          ModifyTime: nowNs,
        };
        write(next);
      }
    }
    for (const list of Object.values(result.NodeAllocation)) {
      for (const a of list) {
        const cur = written.get(a.ID) ?? snap.alloc(a.ID);
        const next: Allocation = cur
          ? // An update of an existing allocation keeps what the client reported.
            { ...a, ClientStatus: cur.ClientStatus, ClientDescription: cur.ClientDescription, TaskStates: cur.TaskStates, NetworkStatus: cur.NetworkStatus, DeploymentStatus: a.DeploymentStatus ?? cur.DeploymentStatus, CreateTime: cur.CreateTime, ModifyTime: nowNs, AllocModifyIndex: THIS_WRITE }
          : { ...a, CreateTime: a.CreateTime || nowNs, ModifyTime: nowNs, AllocModifyIndex: THIS_WRITE };
        write(next);
        if (!cur && a.PreviousAllocation) {
          const prev = written.get(a.PreviousAllocation) ?? snap.alloc(a.PreviousAllocation);
          if (prev) write({ ...prev, NextAllocation: a.ID, ModifyTime: nowNs });
        }
        const job = next.Job;
        if (job) {
          const k = keys.allocJob(job.Namespace, job.ID, job.Version, job.JobModifyIndex);
          if (!allocJobsWritten.has(k) && !snap.allocJob(job.Namespace, job.ID, job.Version, job.JobModifyIndex)) {
            allocJobsWritten.add(k);
            ops.push(put(k, job));
          }
        }
      }
    }
    for (const a of written.values()) {
      ops.push(put(keys.alloc(a.ID), storedAlloc(a)));
      // Registrations of allocations that just became client-terminal (lost) go with them.
      const before = snap.alloc(a.ID);
      if (isClientTerminal(a.ClientStatus) && (!before || !isClientTerminal(before.ClientStatus))) {
        for (const s of snap.servicesByAlloc(a.ID)) ops.push(del(keys.service(s.Namespace, s.ID)));
      }
    }
    if (result.Deployment) ops.push(put(keys.deployment(result.Deployment.ID), result.Deployment));
    for (const u of result.DeploymentUpdates) {
      const d = snap.deployment(u.DeploymentID);
      if (d) ops.push(put(keys.deployment(d.ID), { ...d, Status: u.Status, StatusDescription: u.StatusDescription, ModifyTime: nowNs }));
    }
    return ops;
  }
}

function snap0Index(s: StateSnapshot): number {
  return Math.max(s.index('allocs'), s.index('nodes'));
}

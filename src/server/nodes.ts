// The logic behind node endpoints: client registration and heartbeats (Nomad's Node.Register and
// Node.UpdateStatus), eligibility, marking nodes down when heartbeats stop, and the evaluations
// those transitions create (Nomad's createNodeEvals).
import { computeNodeClass } from '../scheduler/node-class.js';
import { keys, THIS_WRITE } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { isTerminalAlloc } from '../structs/alloc.js';
import { EvalTrigger, type Evaluation } from '../structs/eval.js';
import { MAX_NODE_EVENTS, type Node, type NodeEligibility, type NodeEvent, type NodeStatus } from '../structs/node.js';
import { goTime } from '../structs/time.js';
import type { ServerContext } from './context.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { newEval } from './evals.js';
import type { Heartbeats } from './heartbeats.js';
import { put } from './state-writer.js';

export interface NodeRegisterResponse {
  HeartbeatTTL: number; // ns
  EvalIDs: string[];
  EvalCreateIndex: number;
  NodeModifyIndex: number;
  Index: number;
  LeaderRPCAddr: string;
  NumNodes: number;
}

export interface NodeUpdateResponse {
  HeartbeatTTL: number; // ns
  EvalIDs: string[];
  EvalCreateIndex: number;
  NodeModifyIndex: number;
  Index: number;
}

function withEvent(node: Node, message: string, now: number, details: Record<string, string> | null = null, subsystem = 'Cluster'): Node {
  const ev: NodeEvent = { Message: message, Subsystem: subsystem, Details: details, Timestamp: goTime(now), CreateIndex: 0 };
  const events = [...(node.Events ?? []), ev].slice(-MAX_NODE_EVENTS);
  return { ...node, Events: events };
}

/** Evaluations for a node whose status changed: one per job with allocations there, plus every system job that may run there. */
export function nodeEvals(snap: StateSnapshot, node: Node, now: number): Evaluation[] {
  const out: Evaluation[] = [];
  const seen = new Set<string>();
  for (const a of snap.allocsByNode(node.ID)) {
    const job = a.Job;
    if (!job || job.Type === 'system' || job.Type === 'sysbatch') continue;
    if (job.Type === 'batch' ? isTerminalAlloc(a) && a.ClientStatus !== 'running' : a.DesiredStatus !== 'run' && isTerminalAlloc(a)) continue;
    const k = `${a.Namespace}\u0000${a.JobID}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(newEval({ job, triggeredBy: EvalTrigger.NodeUpdate, jobModifyIndex: job.JobModifyIndex, now, nodeID: node.ID, nodeModifyIndex: node.ModifyIndex }));
  }
  for (const job of snap.jobs('*')) {
    if ((job.Type !== 'system' && job.Type !== 'sysbatch') || job.Stop) continue;
    if (job.Periodic || (job.ParameterizedJob && !job.Dispatched)) continue;
    const k = `${job.Namespace}\u0000${job.ID}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(newEval({ job, triggeredBy: EvalTrigger.NodeUpdate, jobModifyIndex: job.JobModifyIndex, now, nodeID: node.ID, nodeModifyIndex: node.ModifyIndex }));
  }
  return out;
}

export class NodeEndpoints {
  constructor(
    private readonly ctx: ServerContext,
    private readonly heartbeats: Heartbeats,
  ) {}

  async register(input: Node): Promise<NodeRegisterResponse> {
    if (!input || typeof input !== 'object') throw badRequest('missing node for client registration');
    if (!input.ID) throw badRequest('missing node ID for client registration');
    if (!input.Datacenter) throw badRequest('missing datacenter for client registration');
    if (!input.Name) throw badRequest('missing node name for client registration');
    if (!input.SecretID) throw badRequest('missing node secret ID for client registration');
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const existing = snap.node(input.ID);
      if (existing && existing.SecretID !== input.SecretID) throw forbidden('node secret ID does not match. Not registering node.');
      let node: Node = {
        ...input,
        NodePool: input.NodePool || 'default',
        Status: existing ? existing.Status : input.Status || 'initializing',
        SchedulingEligibility: existing?.SchedulingEligibility ?? input.SchedulingEligibility ?? 'eligible',
        DrainStrategy: existing?.DrainStrategy ?? null,
        Events: existing?.Events ?? null,
        StatusUpdatedAt: Math.floor(now / 1000),
        CreateIndex: existing?.CreateIndex ?? THIS_WRITE,
        ModifyIndex: THIS_WRITE,
      };
      node.ComputedClass = computeNodeClass(node);
      if (!existing) node = withEvent(node, 'Node registered', now);
      const evals = node.Status === 'ready' ? nodeEvals(snap, node, now) : [];
      return { ops: [put(keys.node(node.ID), node), ...evals.map((e) => put(keys.eval(e.ID), e))], result: { evals } };
    });
    const evals = committed.result.evals.map((e) => committed.snapshot.eval(e.ID)).filter((e): e is Evaluation => e !== undefined);
    this.ctx.evalsWritten(evals);
    const ttl = this.heartbeats.reset(input.ID);
    const node = committed.snapshot.node(input.ID);
    if (node && node.Status === 'ready' && node.SchedulingEligibility === 'eligible') this.ctx.capacityChanged?.(node, committed.revision);
    return {
      HeartbeatTTL: ttl * 1_000_000,
      EvalIDs: evals.map((e) => e.ID),
      EvalCreateIndex: evals[0]?.CreateIndex ?? 0,
      NodeModifyIndex: node?.ModifyIndex ?? committed.revision,
      Index: committed.revision,
      LeaderRPCAddr: '',
      NumNodes: committed.snapshot.nodes().length,
    };
  }

  /** Heartbeat / status change from a client (Node.UpdateStatus). Only writes when the status changes. */
  async updateStatus(nodeID: string, secretID: string, status: NodeStatus): Promise<NodeUpdateResponse> {
    const snap0 = this.ctx.store.snapshot();
    const node0 = snap0.node(nodeID);
    if (!node0) throw notFound(`node not found: ${nodeID}`);
    if (secretID && node0.SecretID !== secretID) throw forbidden('node secret ID does not match');
    let evals: Evaluation[] = [];
    let index = snap0.revision;
    if (node0.Status !== status) {
      const r = await this.transition(nodeID, status, status === 'ready' ? 'Node heartbeat received' : `Node status changed to ${status}`);
      evals = r.evals;
      index = r.index;
    }
    const ttl = status === 'down' ? 0 : this.heartbeats.reset(nodeID);
    const node = this.ctx.store.snapshot().node(nodeID);
    return { HeartbeatTTL: ttl * 1_000_000, EvalIDs: evals.map((e) => e.ID), EvalCreateIndex: evals[0]?.CreateIndex ?? 0, NodeModifyIndex: node?.ModifyIndex ?? index, Index: index };
  }

  /** Writes a status transition with its node event and evaluations. */
  async transition(nodeID: string, status: NodeStatus, message: string): Promise<{ evals: Evaluation[]; index: number }> {
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const node = snap.node(nodeID);
      if (!node || node.Status === status) return { ops: [], result: { evals: [] as Evaluation[], node } };
      const updated = withEvent({ ...node, Status: status, StatusUpdatedAt: Math.floor(now / 1000), ModifyIndex: THIS_WRITE }, message, now);
      // Evals on: anything → down, and coming back to ready from initializing/down/disconnected.
      const evals = status === 'down' || status === 'ready' ? nodeEvals(snap, updated, now) : [];
      return { ops: [put(keys.node(nodeID), updated), ...evals.map((e) => put(keys.eval(e.ID), e))], result: { evals, node: updated } };
    });
    const evals = committed.result.evals.map((e) => committed.snapshot.eval(e.ID)).filter((e): e is Evaluation => e !== undefined);
    this.ctx.evalsWritten(evals);
    const after = committed.snapshot.node(nodeID);
    if (after && status === 'ready') this.ctx.capacityChanged?.(after, committed.revision);
    if (status === 'down') this.heartbeats.clear(nodeID);
    return { evals, index: committed.revision };
  }

  /** A missed heartbeat: the node goes down, its allocations become lost and are replaced. */
  async heartbeatExpired(nodeID: string): Promise<void> {
    await this.transition(nodeID, 'down', 'Node heartbeat missed');
  }

  async updateEligibility(nodeID: string, eligibility: NodeEligibility): Promise<{ EvalIDs: string[]; EvalCreateIndex: number; NodeModifyIndex: number; Index: number }> {
    if (eligibility !== 'eligible' && eligibility !== 'ineligible') throw badRequest(`invalid scheduling eligibility ${JSON.stringify(eligibility)}: expected "eligible" or "ineligible"`);
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const node = snap.node(nodeID);
      if (!node) throw notFound(`node not found: ${nodeID}`);
      if (node.DrainStrategy && eligibility === 'eligible') throw badRequest("can not set node's scheduling eligibility to eligible while it is draining");
      if (node.SchedulingEligibility === eligibility) return { ops: [], result: { evals: [] as Evaluation[] } };
      const updated = withEvent({ ...node, SchedulingEligibility: eligibility, ModifyIndex: THIS_WRITE }, eligibility === 'eligible' ? 'Node marked as eligible for scheduling' : 'Node marked as ineligible for scheduling', now);
      const evals = eligibility === 'eligible' && node.Status === 'ready' ? nodeEvals(snap, updated, now) : [];
      return { ops: [put(keys.node(nodeID), updated), ...evals.map((e) => put(keys.eval(e.ID), e))], result: { evals } };
    });
    const evals = committed.result.evals.map((e) => committed.snapshot.eval(e.ID)).filter((e): e is Evaluation => e !== undefined);
    this.ctx.evalsWritten(evals);
    const node = committed.snapshot.node(nodeID);
    if (node && eligibility === 'eligible') this.ctx.capacityChanged?.(node, committed.revision);
    return { EvalIDs: evals.map((e) => e.ID), EvalCreateIndex: evals[0]?.CreateIndex ?? 0, NodeModifyIndex: node?.ModifyIndex ?? 0, Index: committed.revision };
  }

  /** Creates node-update evaluations for a node on demand (`PUT /v1/node/:id/evaluate`). */
  async evaluate(nodeID: string): Promise<{ EvalIDs: string[]; EvalCreateIndex: number; NodeModifyIndex: number; Index: number }> {
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const node = snap.node(nodeID);
      if (!node) throw notFound(`node not found: ${nodeID}`);
      const evals = nodeEvals(snap, node, now);
      return { ops: evals.map((e) => put(keys.eval(e.ID), e)), result: { evals, node } };
    });
    const evals = committed.result.evals.map((e) => committed.snapshot.eval(e.ID)).filter((e): e is Evaluation => e !== undefined);
    this.ctx.evalsWritten(evals);
    return { EvalIDs: evals.map((e) => e.ID), EvalCreateIndex: evals[0]?.CreateIndex ?? 0, NodeModifyIndex: committed.result.node.ModifyIndex, Index: committed.revision };
  }
}

// The server role: the state cache over the KV store, the writer, and the leader's loops — eval
// broker, blocked evaluations, scheduling workers, plan applier, heartbeat timers, the periodic
// dispatcher (periodic.ts), reapers and the garbage collector. A single server is always the
// leader; it restores the broker, heartbeat timers, periodic jobs and variable lock timers from
// state when it starts.
// Endpoint logic lives in jobs.ts, nodes.ts, allocs.ts, dispatch.ts.
import type { KV } from '../state/kv.js';
import { keys } from '../state/schema.js';
import { StateStore } from '../state/state-store.js';
import type { Evaluation } from '../structs/eval.js';
import type { Logger } from '../structs/logger.js';
import type { Node } from '../structs/node.js';
import { msToNanos } from '../structs/time.js';
import { AllocEndpoints } from './allocs.js';
import { BlockedEvals, duplicateBlockedDescription, type Unblocked } from './blocked-evals.js';
import { defaultServerConfig, type ServerConfig, type ServerContext } from './context.js';
import { CANCELED_FOR_NEWER_EVAL, deliveryLimitDescription, EvalBroker, FAILED_QUEUE, failedFollowUpEval } from './eval-broker.js';
import { EventBroker } from './events.js';
import { runGC, type GCResult } from './gc.js';
import { Heartbeats } from './heartbeats.js';
import { JobEndpoints } from './jobs.js';
import { NodeEndpoints } from './nodes.js';
import { PeriodicDispatcher, realClock, type Clock } from './periodic.js';
import { PlanApplier } from './plan-applier.js';
import { ServiceEndpoints } from './services.js';
import { VariableEndpoints } from './variables.js';
import { put, StateWriter } from './state-writer.js';
import { Worker } from './worker.js';

export class Server {
  readonly store: StateStore;
  readonly writer: StateWriter;
  readonly broker: EvalBroker;
  readonly blocked: BlockedEvals;
  readonly heartbeats: Heartbeats;
  readonly applier: PlanApplier;
  readonly ctx: ServerContext;
  readonly jobs: JobEndpoints;
  readonly nodes: NodeEndpoints;
  readonly allocs: AllocEndpoints;
  readonly services: ServiceEndpoints;
  readonly variables: VariableEndpoints;
  readonly periodic: PeriodicDispatcher;
  readonly events = new EventBroker();
  private readonly workers: Worker[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  private reaping: Promise<void> = Promise.resolve();
  private failedLoop: Promise<void> | undefined;
  private started = false;

  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
    readonly config: ServerConfig = defaultServerConfig(),
    /** The clock of the server's endpoints and periodic dispatcher (tests pass a fake one). */
    private readonly clock: Clock = realClock,
  ) {
    this.store = new StateStore(kv, logger.named('state'));
    this.writer = new StateWriter(kv, this.store);
    this.broker = new EvalBroker({ onCancelable: () => this.reap() });
    this.blocked = new BlockedEvals({ broker: this.broker, onUnblock: (u) => this.onUnblock(u), onDuplicates: () => this.reap() });
    this.ctx = {
      store: this.store,
      writer: this.writer,
      logger: logger,
      config,
      now: () => this.clock.now(),
      evalsWritten: (evals) => this.evalsWritten(evals),
      jobRegistered: (job) => {
        this.cancel(this.blocked.untrack(job.Namespace, job.ID), 'evaluation superseded by job registration');
        this.periodic.add(job);
      },
      jobDeregistered: (ns, id) => {
        this.cancel(this.blocked.untrack(ns, id), 'job deregistered');
        this.periodic.remove(ns, id);
      },
      capacityChanged: (node: Node, index: number) => {
        this.blocked.unblock(node.ComputedClass, index);
        this.blocked.unblockNode(node.ID, index);
      },
    };
    this.heartbeats = new Heartbeats(
      { minTTL: config.minHeartbeatTTL, grace: config.heartbeatGrace, maxPerSecond: config.maxHeartbeatsPerSecond, failoverTTL: config.failoverHeartbeatTTL },
      (nodeID) => void this.nodes.heartbeatExpired(nodeID).catch((err: unknown) => this.logger.error('failed to mark node down', { node_id: nodeID, error: err as Error })),
      logger.named('heartbeat'),
    );
    this.applier = new PlanApplier(this.writer, logger.named('plan_apply'), this.ctx.now);
    this.jobs = new JobEndpoints(this.ctx);
    this.nodes = new NodeEndpoints(this.ctx, this.heartbeats);
    this.allocs = new AllocEndpoints(this.ctx);
    this.services = new ServiceEndpoints(this.ctx);
    this.variables = new VariableEndpoints(this.ctx, clock);
    this.periodic = new PeriodicDispatcher(this.ctx, clock);
  }

  async start(): Promise<void> {
    await this.store.start();
    this.events.start(this.store);
    this.started = true;
    this.establishLeadership();
    this.logger.info('server started', { revision: this.store.snapshot().revision, schedulers: this.config.numSchedulers });
  }

  /** What Nomad's leader does on election: enable the broker and trackers and restore them from state. */
  private establishLeadership(): void {
    this.broker.setEnabled(true);
    this.blocked.setEnabled(true);
    this.heartbeats.setEnabled(true);
    const snap = this.store.snapshot();
    const evals = snap.evals('*');
    this.broker.enqueueAll(evals.filter((e) => e.Status === 'pending'));
    for (const e of evals) if (e.Status === 'blocked') this.blocked.block(e);
    this.heartbeats.initialize(snap.nodes().filter((n) => n.Status !== 'down').map((n) => n.ID));
    this.variables.startLocks(snap);
    for (let i = 0; i < Math.max(1, this.config.numSchedulers); i++) {
      const w = new Worker({ ctx: this.ctx, broker: this.broker, blocked: this.blocked, applier: this.applier }, i);
      w.start();
      this.workers.push(w);
    }
    this.failedLoop = this.reapFailedEvals();
    this.periodic.start();
    this.every(60_000, () => this.blocked.unblockFailed());
    this.every(this.config.gcInterval, () => void this.gc(false).catch((err: unknown) => this.logger.error('garbage collection failed', { error: err as Error })));
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Routes committed evaluations: pending → broker, blocked → tracker, complete → untrack. */
  private evalsWritten(evals: readonly Evaluation[]): void {
    for (const e of evals) {
      switch (e.Status) {
        case 'pending':
          if (this.broker.outstanding(e.ID) === undefined) this.broker.enqueue(e);
          break;
        case 'blocked':
          this.blocked.block(e);
          break;
        case 'complete':
          if (!e.FailedTGAllocs || Object.keys(e.FailedTGAllocs).length === 0) this.cancel(this.blocked.untrack(e.Namespace, e.JobID), 'evaluation superseded: a newer evaluation placed everything');
          break;
        default:
          break;
      }
    }
  }

  /** Blocked evaluations released by new capacity go back to the broker (still "blocked"; the scheduler completes or re-blocks them). */
  private onUnblock(u: Unblocked): void {
    if (u.enqueue.length) this.broker.enqueueAll(u.enqueue);
  }

  private cancel(evals: Evaluation[], description: string): void {
    if (evals.length === 0) return;
    void this.writer
      .txn(() => ({ ops: evals.map((e) => put(keys.eval(e.ID), { ...e, Status: 'canceled', StatusDescription: description, ModifyTime: msToNanos(this.ctx.now()) })), result: null }))
      .catch((err: unknown) => this.logger.error('failed to cancel evaluations', { error: err as Error }));
  }

  /** Writes evaluations the broker and tracker made obsolete as canceled (Nomad's reapers). */
  private reap(): void {
    this.reaping = this.reaping.then(async () => {
      for (;;) {
        const cancelable = this.broker.takeCancelable();
        const dups = this.blocked.takeDuplicates();
        if (cancelable.length === 0 && dups.length === 0) return;
        const now = msToNanos(this.ctx.now());
        await this.writer.txn(() => ({
          ops: [
            ...cancelable.map((e) => put(keys.eval(e.ID), { ...e, Status: 'canceled', StatusDescription: CANCELED_FOR_NEWER_EVAL, ModifyTime: now })),
            ...dups.map((e) => put(keys.eval(e.ID), { ...e, Status: 'canceled', StatusDescription: duplicateBlockedDescription(e.JobID), ModifyTime: now })),
          ],
          result: null,
        }));
      }
    }).catch((err: unknown) => this.logger.error('failed to reap evaluations', { error: err as Error }));
  }

  /** Evaluations past the delivery limit: written failed with a delayed follow-up (Nomad's reapFailedEvaluations). */
  private async reapFailedEvals(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let d;
      try {
        d = await this.broker.dequeue([FAILED_QUEUE], 1000, this.abort.signal);
      } catch {
        if (this.abort.signal.aborted) return;
        continue;
      }
      if (!d) continue;
      const now = msToNanos(this.ctx.now());
      const follow = failedFollowUpEval(d.eval, Math.random, now);
      const failed: Evaluation = { ...d.eval, Status: 'failed', StatusDescription: deliveryLimitDescription(3), NextEval: follow?.ID ?? '', ModifyTime: now };
      try {
        const c = await this.writer.txn(() => ({ ops: [put(keys.eval(failed.ID), failed), ...(follow ? [put(keys.eval(follow.ID), follow)] : [])], result: null }));
        if (follow) {
          const written = c.snapshot.eval(follow.ID);
          if (written) this.evalsWritten([written]);
        }
        this.broker.ack(d.eval.ID, d.token);
      } catch (err) {
        this.logger.error('failed to write a failed evaluation', { eval_id: d.eval.ID, error: err as Error });
        this.broker.nack(d.eval.ID, d.token);
      }
    }
  }

  async gc(force: boolean): Promise<GCResult> {
    return runGC(this.ctx, force);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.abort.abort();
    for (const t of this.timers) clearInterval(t);
    await this.periodic.stop();
    await this.variables.locks.stop();
    this.heartbeats.setEnabled(false);
    this.blocked.setEnabled(false);
    this.broker.setEnabled(false);
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.failedLoop;
    await this.reaping;
    this.events.stop();
    await this.store.stop();
  }
}

// Scheduling workers (Nomad's worker.go): each takes an evaluation from the eval broker, waits
// until local state has caught up with it, runs the scheduler for the job type on a snapshot with
// a Planner that submits plans to the plan applier and writes evaluations, then acks the
// evaluation (or nacks it on error so the broker redelivers it).
import { newScheduler } from '../scheduler/registry.js';
import type { Plan, Planner, SubmitResult } from '../scheduler/planner.js';
import { keys } from '../state/schema.js';
import type { Evaluation } from '../structs/eval.js';
import { msToNanos } from '../structs/time.js';
import type { BlockedEvals } from './blocked-evals.js';
import type { ServerContext } from './context.js';
import type { Dequeued, EvalBroker } from './eval-broker.js';
import type { PlanApplier } from './plan-applier.js';
import { put } from './state-writer.js';
import { stateView } from './state-view.js';

export const WORKER_SCHEDULERS = ['service', 'batch', 'system', 'sysbatch'];

export interface WorkerDeps {
  ctx: ServerContext;
  broker: EvalBroker;
  blocked: BlockedEvals;
  applier: PlanApplier;
}

/** Writes evaluations the scheduler produced in one transaction; returns them as stored. */
export async function writeEvals(ctx: ServerContext, evals: readonly Evaluation[]): Promise<Evaluation[]> {
  const now = msToNanos(ctx.now());
  const committed = await ctx.writer.txn(() => ({ ops: evals.map((ev) => put(keys.eval(ev.ID), { ...ev, ModifyTime: now })), result: null }));
  return evals.map((ev) => committed.snapshot.eval(ev.ID) ?? ev);
}

export async function writeEval(ctx: ServerContext, ev: Evaluation): Promise<Evaluation> {
  const [written] = await writeEvals(ctx, [ev]);
  return written ?? ev;
}

/**
 * The scheduler's Planner on the server. Evaluations the scheduler creates (blocked evals,
 * follow-ups) are written together with the next plan or with the evaluation's final status,
 * in one transaction: one commit instead of two for the common "nothing fits, block" outcome.
 * They are always written before the plan that may refer to them.
 */
class ServerPlanner implements Planner {
  private created: Evaluation[] = [];

  constructor(
    private readonly deps: WorkerDeps,
    private readonly token: string,
    /** The index of the state the scheduler is looking at; recorded on blocked evals (missed-unblock detection). */
    private snapshotIndex: number,
  ) {}

  private async flushCreated(also: Evaluation[] = []): Promise<Evaluation[]> {
    const batch = [...this.created, ...also];
    this.created = [];
    if (batch.length === 0) return [];
    return writeEvals(this.deps.ctx, batch);
  }

  async submitPlan(plan: Plan): Promise<SubmitResult> {
    const { broker, applier, ctx } = this.deps;
    const created = await this.flushCreated();
    ctx.evalsWritten(created);
    broker.pauseNackTimeout(plan.EvalID, this.token);
    try {
      const result = await applier.apply({ ...plan, EvalToken: this.token });
      if (result.RefreshIndex > 0) {
        const snap = await ctx.store.waitForRevision(result.RefreshIndex, { timeoutMs: 10_000 });
        this.snapshotIndex = snap.revision;
        return { result, newState: stateView(snap) };
      }
      return { result };
    } finally {
      broker.resumeNackTimeout(plan.EvalID, this.token);
    }
  }

  async updateEval(ev: Evaluation): Promise<void> {
    const written = await this.flushCreated([ev]);
    this.deps.ctx.evalsWritten(written);
  }

  async createEval(ev: Evaluation): Promise<void> {
    this.created.push({ ...ev, SnapshotIndex: this.snapshotIndex });
  }

  async reblockEval(ev: Evaluation): Promise<void> {
    const created = await this.flushCreated();
    this.deps.ctx.evalsWritten(created);
    const written = await writeEval(this.deps.ctx, { ...ev, SnapshotIndex: this.snapshotIndex });
    this.deps.blocked.reblock(written, this.token);
  }

  /** Evaluations created but not yet written when the scheduler finished (it always ends with updateEval; this is the safety net). */
  async finish(): Promise<void> {
    this.deps.ctx.evalsWritten(await this.flushCreated());
  }
}

export class Worker {
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: WorkerDeps,
    readonly id: number,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const { broker, ctx } = this.deps;
    while (!this.abort.signal.aborted) {
      let d: Dequeued | undefined;
      try {
        d = await broker.dequeue(WORKER_SCHEDULERS, 500, this.abort.signal);
      } catch (err) {
        if (this.abort.signal.aborted) return;
        ctx.logger.debug('dequeue failed', { worker: this.id, error: err as Error });
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (!d) continue;
      await this.process(d);
    }
  }

  async process(d: Dequeued): Promise<void> {
    const { broker, ctx } = this.deps;
    const ev = d.eval;
    const log = ctx.logger.named('worker');
    try {
      const snap = await ctx.store.waitForRevision(ev.ModifyIndex, { timeoutMs: 5_000 });
      const planner = new ServerPlanner(this.deps, d.token, snap.revision);
      const scheduler = newScheduler(ev.Type, stateView(snap), planner, { now: ctx.now() });
      if (!scheduler) {
        await writeEval(ctx, { ...ev, Status: 'failed', StatusDescription: `scheduler type "${ev.Type}" is not known` });
      } else {
        const started = Date.now();
        await scheduler.process(ev);
        await planner.finish();
        log.debug('evaluation processed', { eval_id: ev.ID, job_id: ev.JobID, type: ev.Type, triggered_by: ev.TriggeredBy, took_ms: Date.now() - started });
      }
      broker.ack(ev.ID, d.token);
    } catch (err) {
      log.error('scheduler failed; the evaluation will be retried', { eval_id: ev.ID, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      try {
        broker.nack(ev.ID, d.token);
      } catch {
        // the broker was disabled or the eval already timed out; nothing to hand back
      }
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}

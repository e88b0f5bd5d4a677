// The periodic dispatcher (Nomad's PeriodicDispatch), run by the leader: it tracks every active
// periodic job (enabled, not stopped, not a parameterized parent) in a heap ordered by next
// launch, sleeps until the earliest, and launches it by registering the child
// `<parent>/periodic-<unix seconds>` with a "periodic-job" evaluation and the parent's new
// periodic_launch row, all in one transaction. `prohibit_overlap` skips a launch while an earlier
// child still has a non-terminal evaluation or allocation.
//
// Time comes from an injectable clock so tests run on a fake one. Each following launch is
// computed from the launch it follows (not from when the timer fired), so launches do not drift.
// On start, a job whose next launch after its last recorded one is already past is launched once
// (a missed launch during downtime), as Nomad's leader does. It must never launch when stopped.
import { keys, THIS_WRITE, type PeriodicLaunch } from '../state/schema.js';
import { nextLaunch } from '../structs/cron.js';
import { EvalTrigger, type Evaluation } from '../structs/eval.js';
import type { Logger } from '../structs/logger.js';
import { isParameterized, isPeriodic, type Job } from '../structs/job.js';
import { msToNanos } from '../structs/time.js';
import type { ServerContext } from './context.js';
import { deriveChild, hasActiveChildren, PERIODIC_LAUNCH_SUFFIX, registerChildOps } from './child-jobs.js';
import { DelayHeap } from './delay-heap.js';
import { badRequest, notFound } from './errors.js';
import { newEval } from './evals.js';
import { put } from './state-writer.js';

/** The dispatcher's view of time: milliseconds, and timers it can cancel. */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** Whether the dispatcher launches `job` (Nomad's IsPeriodicActive). */
export function isPeriodicActive(job: Job): boolean {
  return !job.Stop && isPeriodic(job) && !isParameterized(job);
}

/** The child ID of a launch at `launchMs`. */
export function periodicChildID(parentID: string, launchMs: number): string {
  return `${parentID}${PERIODIC_LAUNCH_SUFFIX}${Math.floor(launchMs / 1000)}`;
}

interface Tracked {
  namespace: string;
  id: string;
}

export interface LaunchResult {
  EvalID: string;
  EvalCreateIndex: number;
  Index: number;
}

const trackKey = (ns: string, id: string): string => `${ns}\u0000${id}`;

export class PeriodicDispatcher {
  private readonly heap = new DelayHeap<Tracked>();
  private readonly logger: Logger;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly clock: Clock = realClock,
  ) {
    this.logger = ctx.logger.named('periodic');
  }

  get enabled(): boolean {
    return this.abort !== undefined;
  }

  /** Starts dispatching: tracks every active periodic job in state and launches missed runs once. */
  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    const snap = this.ctx.store.snapshot();
    const now = this.clock.now();
    const missed: Job[] = [];
    for (const job of snap.jobs('*')) {
      if (!isPeriodicActive(job)) continue;
      this.add(job);
      const last = snap.periodicLaunch(job.Namespace, job.ID);
      if (!last) continue;
      const next = this.next(job, last.Launch / 1e6);
      if (next !== null && next <= now) missed.push(job);
    }
    this.loop = this.run(abort.signal, missed);
  }

  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    this.abort = undefined;
    abort.abort();
    this.cancelTimer?.();
    this.wake?.();
    await this.loop;
    this.heap.clear();
  }

  /** Tracks (or re-tracks, after a change) a registered job; untracks it if no longer active. */
  add(job: Job): void {
    if (!this.abort) return;
    const key = trackKey(job.Namespace, job.ID);
    if (!isPeriodicActive(job)) {
      this.remove(job.Namespace, job.ID);
      return;
    }
    const next = this.next(job, this.clock.now());
    if (next === null) {
      this.heap.remove(key);
      return;
    }
    const head = this.heap.peek();
    this.heap.push(key, next, { namespace: job.Namespace, id: job.ID });
    if (!head || next < head.at) this.wake?.();
  }

  remove(namespace: string, id: string): void {
    if (this.heap.remove(trackKey(namespace, id))) this.wake?.();
  }

  /** Tracked jobs with their next launch (ms), earliest first. */
  tracked(): { namespace: string; id: string; next: number }[] {
    const out: { namespace: string; id: string; next: number }[] = [];
    for (const t of this.heap.values()) {
      const job = this.ctx.store.snapshot().job(t.namespace, t.id);
      const next = job ? this.next(job, this.clock.now()) : null;
      if (next !== null) out.push({ ...t, next });
    }
    return out.sort((a, b) => a.next - b.next);
  }

  /** Launches a periodic job now (`job periodic force`), whatever prohibit_overlap says. */
  async force(namespace: string, id: string): Promise<LaunchResult> {
    const job = this.ctx.store.snapshot().job(namespace, id);
    if (!job) throw notFound('job not found');
    if (!isPeriodicActive(job)) throw badRequest("can't force launch non-periodic job");
    const r = await this.launch(namespace, id, this.clock.now(), false);
    if (!r) throw badRequest("can't force launch non-periodic job");
    return r;
  }

  /** Next launch (ms) strictly after `afterMs`, or null (none, or an unparsable spec — logged). */
  private next(job: Job, afterMs: number): number | null {
    if (!job.Periodic) return null;
    try {
      return nextLaunch(job.Periodic, new Date(afterMs))?.getTime() ?? null;
    } catch (err) {
      this.logger.error('failed to compute the next launch', { job: job.ID, namespace: job.Namespace, error: err as Error });
      return null;
    }
  }

  private async run(signal: AbortSignal, missed: Job[]): Promise<void> {
    for (const job of missed) {
      if (signal.aborted) return;
      this.logger.info('launching a periodic job missed while no leader ran', { job: job.ID, namespace: job.Namespace });
      await this.launchSafely(job.Namespace, job.ID, this.clock.now(), true);
    }
    while (!signal.aborted) {
      const head = this.heap.peek();
      const now = this.clock.now();
      if (!head || head.at > now) {
        await this.sleep(head ? head.at - now : undefined, signal);
        continue;
      }
      this.heap.remove(head.id);
      const job = this.ctx.store.snapshot().job(head.value.namespace, head.value.id);
      if (!job || !isPeriodicActive(job)) continue;
      // Re-arm first, from the launch time itself (no drift); a timer that fired very late skips
      // the launches it overslept instead of firing them all at once.
      const following = this.next(job, Math.max(head.at, now - 1000));
      if (following !== null) this.heap.push(head.id, following, head.value);
      await this.launchSafely(job.Namespace, job.ID, head.at, true);
    }
  }

  private sleep(ms: number | undefined, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.cancelTimer?.();
        this.cancelTimer = undefined;
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      if (ms !== undefined) this.cancelTimer = this.clock.setTimer(done, ms);
    });
  }

  private async launchSafely(namespace: string, id: string, launchMs: number, respectOverlap: boolean): Promise<void> {
    try {
      await this.launch(namespace, id, launchMs, respectOverlap);
    } catch (err) {
      this.logger.error('failed to launch periodic job', { job: id, namespace, error: err as Error });
    }
  }

  /** Registers the child of the launch at `launchMs` with its evaluation; undefined when skipped. */
  private async launch(namespace: string, id: string, launchMs: number, respectOverlap: boolean): Promise<LaunchResult | undefined> {
    const now = this.clock.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const parent = snap.job(namespace, id);
      if (!parent || !isPeriodicActive(parent)) return { ops: [], result: undefined };
      if (respectOverlap && parent.Periodic?.ProhibitOverlap && hasActiveChildren(snap, parent)) {
        this.logger.debug('skipping launch: prohibit_overlap and a previous launch is still running', { job: id, namespace });
        return { ops: [], result: undefined };
      }
      const childID = periodicChildID(parent.ID, launchMs);
      const existing = snap.job(namespace, childID);
      const child = existing ?? deriveChild(parent, childID, now, { Periodic: null });
      const ev: Evaluation = newEval({ job: child, triggeredBy: EvalTrigger.PeriodicJob, jobModifyIndex: existing ? existing.JobModifyIndex : THIS_WRITE, now });
      const launch: PeriodicLaunch = { Namespace: namespace, ID: id, Launch: msToNanos(launchMs), CreateIndex: 0, ModifyIndex: 0 };
      const ops = existing ? [put(keys.eval(ev.ID), ev)] : registerChildOps(child, ev);
      ops.push(put(keys.periodicLaunch(namespace, id), launch));
      return { ops, result: { ev, child } };
    });
    if (!committed.result) return undefined;
    const { ev, child } = committed.result;
    const snap = committed.snapshot;
    const written = snap.job(child.Namespace, child.ID);
    if (written) this.ctx.jobRegistered?.(written);
    const writtenEval = snap.eval(ev.ID);
    if (writtenEval) this.ctx.evalsWritten([writtenEval]);
    this.logger.debug('launched periodic job', { job: id, namespace, child: child.ID });
    return { EvalID: ev.ID, EvalCreateIndex: writtenEval?.CreateIndex ?? committed.revision, Index: committed.revision };
  }
}

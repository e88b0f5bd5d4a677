// The eval broker (Nomad's nomad/eval_broker.go): the leader's in-memory queue of evaluations
// waiting for a scheduler worker. It owns the per-scheduler ready queues, per-job serialization (at
// most one ready or unacked eval per job; later ones wait in the job's pending heap), at-least-once
// delivery (a token per dequeue, a nack timer, redelivery with back-off, the `_failed` queue after
// the delivery limit), delayed evals (Wait, WaitUntil, nack back-off) and re-blocked evals held
// until their ack. It never writes state: what the server must persist — evals made obsolete by an
// ack (takeCancelable), evals past the delivery limit (the `_failed` queue) — is handed out as
// values. Every timer it arms belongs to it and is cancelled by setEnabled(false).
import type { Clock, TimerHandle } from '../state/clock.js';
import { systemClock } from '../state/clock.js';
import { newEvaluation } from '../scheduler/evals.js';
import { MS } from '../structs/duration.js';
import type { Evaluation } from '../structs/eval.js';
import { EvalTrigger } from '../structs/eval.js';
import { generateUUID } from '../structs/ids.js';
import type { UnixNanos } from '../structs/time.js';
import { isZeroTime, parseGoTime } from '../structs/time.js';
import { DelayHeap, Heap } from './delay-heap.js';

/** The queue evals land in once dequeued `deliveryLimit` times; the server marks them failed. */
export const FAILED_QUEUE = '_failed';
/** The scheduler queues a worker asks for (Nomad's default EnabledSchedulers). */
export const SCHEDULER_TYPES = ['service', 'batch', 'system', 'sysbatch', '_core'] as const;
/** How many cancelable evals the server cancels per write (Nomad's cancelableEvalsBatchSize). */
export const CANCELABLE_BATCH_SIZE = 728;
/** StatusDescription of a pending eval canceled because a newer eval of its job was processed. */
export const CANCELED_FOR_NEWER_EVAL = 'canceled after more recent eval was processed';

/** StatusDescription of an eval the server marks failed after taking it from the `_failed` queue. */
export function deliveryLimitDescription(deliveryLimit: number): string {
  return `evaluation reached delivery limit (${deliveryLimit})`;
}

export interface EvalBrokerConfig {
  /** An unacked eval is nacked automatically after this long (EvalNackTimeout). */
  readonly nackTimeoutMs: number;
  /** Dequeues after which a nacked eval goes to `_failed` (EvalDeliveryLimit). */
  readonly deliveryLimit: number;
  /** Redelivery delay after the first nack (EvalNackInitialReenqueueDelay). */
  readonly initialNackDelayMs: number;
  /** After the n-th nack (n ≥ 2) the eval waits (n−1) × this (EvalNackSubsequentReenqueueDelay). */
  readonly subsequentNackDelayMs: number;
  /** A failed eval's follow-up waits this long… (EvalFailedFollowupBaselineDelay) */
  readonly failedFollowUpBaselineMs: number;
  /** …plus a random part below this (EvalFailedFollowupDelayRange). */
  readonly failedFollowUpRangeMs: number;
}

/** Nomad's DefaultConfig values. */
export const DEFAULT_EVAL_BROKER_CONFIG: EvalBrokerConfig = Object.freeze({
  nackTimeoutMs: 60_000,
  deliveryLimit: 3,
  initialNackDelayMs: 1_000,
  subsequentNackDelayMs: 20_000,
  failedFollowUpBaselineMs: 60_000,
  failedFollowUpRangeMs: 5 * 60_000,
});

export interface EvalBrokerOptions {
  /** Must read epoch milliseconds: WaitUntil deadlines are wall-clock times. */
  readonly clock?: Clock;
  readonly config?: Partial<EvalBrokerConfig>;
  /** Breaks priority ties between scheduler queues; a float in [0, 1). */
  readonly random?: () => number;
  /** Called (synchronously) when an ack made pending evals cancelable, so a reaper can wake. */
  readonly onCancelable?: () => void;
}

export interface Dequeued {
  readonly eval: Evaluation;
  /** Proves the holder's delivery to ack, nack and outstandingReset. */
  readonly token: string;
}

export interface SchedulerStats {
  ready: number;
  unacked: number;
}

export interface BrokerStats {
  totalReady: number;
  totalUnacked: number;
  /** Evals waiting behind their job's ready or unacked eval. */
  totalPending: number;
  /** Evals waiting for time: Wait, WaitUntil, or the back-off after a nack. */
  totalWaiting: number;
  totalCancelable: number;
  /** Per queue (scheduler type or `_failed`) that holds a ready or unacked eval. */
  byScheduler: Record<string, SchedulerStats>;
}

/** Base of the errors the broker raises; the endpoint layer branches on the class. */
export class EvalBrokerError extends Error {
  override name = 'EvalBrokerError';
}

/** The broker is disabled (this server is not the leader, or lost leadership while waiting). */
export class BrokerDisabledError extends EvalBrokerError {
  override name = 'BrokerDisabledError';
  constructor() {
    super('eval broker disabled');
  }
}

/** The eval is not outstanding: never dequeued, already acked or nacked, or its nack timer fired. */
export class NotOutstandingError extends EvalBrokerError {
  override name = 'NotOutstandingError';
  constructor(readonly evalID: string) {
    super(`evaluation ${evalID} is not outstanding`);
  }
}

/** The eval is outstanding under a different token (another delivery holds it). */
export class TokenMismatchError extends EvalBrokerError {
  override name = 'TokenMismatchError';
  constructor(readonly evalID: string) {
    super(`evaluation ${evalID} token does not match`);
  }
}

/** Evals of one job share a key: namespace + job ID. */
export function namespacedJobKey(namespace: string, jobID: string): string {
  return `${namespace}\u0000${jobID}`;
}

/**
 * The follow-up Nomad creates when it marks an eval failed at the delivery limit: same job and
 * priority, TriggeredBy "failed-follow-up", Wait = baseline + rng() × range, so the retry comes
 * after the cluster has hopefully settled. `_core` evals get none (the leader reschedules core
 * jobs itself): undefined. The caller sets the failed eval's NextEval to the follow-up's ID.
 */
export function failedFollowUpEval(evaluation: Evaluation, rng: () => number, now: UnixNanos, config: Pick<EvalBrokerConfig, 'failedFollowUpBaselineMs' | 'failedFollowUpRangeMs'> = DEFAULT_EVAL_BROKER_CONFIG): Evaluation | undefined {
  if (evaluation.Type === '_core') return undefined;
  const waitMs = config.failedFollowUpBaselineMs + Math.floor(rng() * config.failedFollowUpRangeMs);
  return newEvaluation({
    ID: generateUUID(),
    Namespace: evaluation.Namespace,
    Priority: evaluation.Priority,
    Type: evaluation.Type,
    TriggeredBy: EvalTrigger.FailedFollowUp,
    JobID: evaluation.JobID,
    JobModifyIndex: evaluation.JobModifyIndex,
    Status: 'pending',
    Wait: waitMs * MS,
    PreviousEval: evaluation.ID,
    CreateTime: now,
    ModifyTime: now,
  });
}

interface Queued {
  readonly eval: Evaluation;
  readonly seq: number;
}

interface Unacked {
  readonly eval: Evaluation;
  readonly token: string;
  /** The queue it was dequeued from: its scheduler type, or `_failed`. */
  readonly queue: string;
  timer: TimerHandle | undefined;
  paused: boolean;
}

interface Waiter {
  readonly schedulers: readonly string[];
  deliver(d: Dequeued): void;
  fail(err: Error): void;
}

// Ready: priority desc, then CreateIndex asc (FIFO), then arrival.
const readyOrder = (a: Queued, b: Queued): boolean => a.eval.Priority > b.eval.Priority || (a.eval.Priority === b.eval.Priority && (a.eval.CreateIndex < b.eval.CreateIndex || (a.eval.CreateIndex === b.eval.CreateIndex && a.seq < b.seq)));
// Pending: priority desc, then ModifyIndex desc (newest first), then latest arrival.
const pendingOrder = (a: Queued, b: Queued): boolean => a.eval.Priority > b.eval.Priority || (a.eval.Priority === b.eval.Priority && (a.eval.ModifyIndex > b.eval.ModifyIndex || (a.eval.ModifyIndex === b.eval.ModifyIndex && a.seq > b.seq)));

export class EvalBroker {
  readonly config: EvalBrokerConfig;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #onCancelable: (() => void) | undefined;
  #enabled = false;
  #seq = 0;
  /** Every eval the broker holds (except cancelable ones), with how often it was dequeued. */
  readonly #evals = new Map<string, number>();
  /** Job key → the one eval of the job that is ready, unacked or in nack back-off. */
  readonly #jobEvals = new Map<string, string>();
  readonly #pending = new Map<string, Heap<Queued>>();
  readonly #ready = new Map<string, Heap<Queued>>();
  readonly #unack = new Map<string, Unacked>();
  /** Token → eval re-blocked while outstanding under that token; enqueued after the ack. */
  readonly #requeue = new Map<string, Evaluation>();
  readonly #delayed = new DelayHeap<Evaluation>();
  #delayTimer: TimerHandle | undefined;
  #cancelable: Evaluation[] = [];
  readonly #waiters = new Set<Waiter>();

  constructor(opts: EvalBrokerOptions = {}) {
    this.config = { ...DEFAULT_EVAL_BROKER_CONFIG, ...opts.config };
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? Math.random;
    this.#onCancelable = opts.onCancelable;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Only the leader's broker is enabled. Disabling drops every eval and timer and rejects waiting dequeues. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    if (!enabled) this.#flush();
  }

  /** Adds an eval; an eval the broker already holds (by ID) is ignored. No-op while disabled. */
  enqueue(evaluation: Evaluation): void {
    if (!this.#enabled || this.#evals.has(evaluation.ID)) return;
    this.#evals.set(evaluation.ID, 0);
    if (evaluation.Wait > 0) {
      this.#delay(evaluation, this.#clock.now() + evaluation.Wait / MS);
      return;
    }
    if (!isZeroTime(evaluation.WaitUntil)) {
      const at = parseGoTime(evaluation.WaitUntil);
      if (at > this.#clock.now()) {
        this.#delay(evaluation, at);
        return;
      }
    }
    this.#enqueueReady(evaluation, evaluation.Type);
  }

  /** Enqueues many evals, e.g. every pending eval in state when this server becomes leader. */
  enqueueAll(evals: Iterable<Evaluation>): void {
    for (const e of evals) this.enqueue(e);
  }

  /**
   * Holds `evaluation` (re-blocked by the scheduler while still outstanding under `token`) until
   * that delivery is acked, then enqueues it; a nack drops it. Returns false, holding nothing, when
   * the eval is not outstanding under `token` — the caller enqueues it normally.
   */
  requeue(evaluation: Evaluation, token: string): boolean {
    if (!this.#enabled || this.#unack.get(evaluation.ID)?.token !== token) return false;
    this.#requeue.set(token, evaluation);
    return true;
  }

  /**
   * Takes the highest-priority ready eval among `schedulers` (ties between queues broken at
   * random), waiting for one up to `timeoutMs` (0: no limit) or until `signal` aborts; then resolves
   * undefined. Rejects with BrokerDisabledError while disabled or if disabled while waiting.
   */
  dequeue(schedulers: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<Dequeued | undefined> {
    if (!this.#enabled) return Promise.reject(new BrokerDisabledError());
    if (signal?.aborted) return Promise.resolve(undefined);
    const now = this.#scan(schedulers);
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const done = (): void => {
        this.#waiters.delete(waiter);
        timer?.cancel();
        signal?.removeEventListener('abort', giveUp);
      };
      const giveUp = (): void => {
        done();
        resolve(undefined);
      };
      const waiter: Waiter = {
        schedulers,
        deliver: (d) => {
          done();
          resolve(d);
        },
        fail: (err) => {
          done();
          reject(err);
        },
      };
      if (timeoutMs > 0) timer = this.#clock.setTimer(timeoutMs, giveUp);
      signal?.addEventListener('abort', giveUp, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** The token of the eval's current delivery, if it is dequeued and not yet acked or nacked. */
  outstanding(evalID: string): string | undefined {
    return this.#unack.get(evalID)?.token;
  }

  /** Restarts the nack timer: the holder is making progress (Eval.Update/Create/Reblock do this). */
  outstandingReset(evalID: string, token: string): void {
    const u = this.#outstanding(evalID, token);
    if (!u.paused) this.#armNack(u);
  }

  /** Stops the nack timer while the holder waits on something unbounded, such as the plan queue. */
  pauseNackTimeout(evalID: string, token: string): void {
    const u = this.#outstanding(evalID, token);
    u.timer?.cancel();
    u.timer = undefined;
    u.paused = true;
  }

  /** Restarts a full nack timeout after pauseNackTimeout. */
  resumeNackTimeout(evalID: string, token: string): void {
    const u = this.#outstanding(evalID, token);
    u.paused = false;
    this.#armNack(u);
  }

  /**
   * Completes a delivery. The job's pending evals collapse to the single best one (highest
   * priority, then newest ModifyIndex), which is enqueued; the rest become cancelable. An eval
   * requeued under this token is enqueued after that.
   */
  ack(evalID: string, token: string): void {
    const u = this.#outstanding(evalID, token);
    u.timer?.cancel();
    this.#unack.delete(evalID);
    this.#evals.delete(evalID);
    const key = namespacedJobKey(u.eval.Namespace, u.eval.JobID);
    if (this.#jobEvals.get(key) === evalID) this.#jobEvals.delete(key);

    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    const [best, ...obsolete] = pending?.drain() ?? [];
    for (const o of obsolete) {
      this.#evals.delete(o.eval.ID);
      this.#cancelable.push(o.eval);
    }
    if (best !== undefined) this.#enqueueReady(best.eval, best.eval.Type);

    const requeued = this.#requeue.get(token);
    this.#requeue.delete(token);
    if (requeued !== undefined) this.enqueue(requeued);
    if (obsolete.length > 0) this.#onCancelable?.();
  }

  /**
   * Fails a delivery (the nack timer does this too). The eval is redelivered after a back-off —
   * 1 s after its first dequeue, (n−1) × 20 s after its n-th — or, once dequeued `deliveryLimit`
   * times, moved to the `_failed` queue. An eval requeued under this token is dropped.
   */
  nack(evalID: string, token: string): void {
    const u = this.#outstanding(evalID, token);
    this.#requeue.delete(token);
    u.timer?.cancel();
    this.#unack.delete(evalID);
    const dequeues = this.#evals.get(evalID) ?? 0;
    if (dequeues >= this.config.deliveryLimit) {
      this.#enqueueReady(u.eval, FAILED_QUEUE);
      return;
    }
    const delay = this.#nackDelayMs(dequeues);
    if (delay > 0) this.#delay(u.eval, this.#clock.now() + delay);
    else this.#enqueueReady(u.eval, u.eval.Type);
  }

  /**
   * Removes and returns up to `limit` evals made obsolete by acks. The server writes them
   * `canceled` with StatusDescription CANCELED_FOR_NEWER_EVAL.
   */
  takeCancelable(limit: number = CANCELABLE_BATCH_SIZE): Evaluation[] {
    return this.#cancelable.splice(0, Math.max(0, limit));
  }

  /**
   * The evals in the `_failed` queue, in dequeue order, without taking them. The server takes
   * each with `dequeue([FAILED_QUEUE], …)`, writes it `failed` (deliveryLimitDescription) together
   * with failedFollowUpEval, then acks it — the job stays serialized until then.
   */
  failedEvals(): Evaluation[] {
    return (this.#ready.get(FAILED_QUEUE)?.sorted() ?? []).map((q) => q.eval);
  }

  stats(): BrokerStats {
    const byScheduler: Record<string, SchedulerStats> = {};
    let totalReady = 0;
    for (const [queue, heap] of this.#ready) {
      if (heap.size === 0) continue;
      totalReady += heap.size;
      (byScheduler[queue] ??= { ready: 0, unacked: 0 }).ready = heap.size;
    }
    for (const u of this.#unack.values()) (byScheduler[u.queue] ??= { ready: 0, unacked: 0 }).unacked += 1;
    let totalPending = 0;
    for (const heap of this.#pending.values()) totalPending += heap.size;
    return { totalReady, totalUnacked: this.#unack.size, totalPending, totalWaiting: this.#delayed.size, totalCancelable: this.#cancelable.length, byScheduler };
  }

  #outstanding(evalID: string, token: string): Unacked {
    const u = this.#unack.get(evalID);
    if (u === undefined) throw new NotOutstandingError(evalID);
    if (u.token !== token) throw new TokenMismatchError(evalID);
    return u;
  }

  #nackDelayMs(dequeues: number): number {
    if (dequeues <= 0) return 0;
    if (dequeues === 1) return this.config.initialNackDelayMs;
    return (dequeues - 1) * this.config.subsequentNackDelayMs;
  }

  /** Puts an eval in its job's slot and a ready queue, or behind the job's current eval. */
  #enqueueReady(evaluation: Evaluation, queue: string): void {
    if (!this.#enabled) return;
    const key = namespacedJobKey(evaluation.Namespace, evaluation.JobID);
    const current = this.#jobEvals.get(key);
    const item = { eval: evaluation, seq: ++this.#seq };
    if (current === undefined) {
      this.#jobEvals.set(key, evaluation.ID);
    } else if (current !== evaluation.ID) {
      let pending = this.#pending.get(key);
      if (pending === undefined) this.#pending.set(key, (pending = new Heap(pendingOrder)));
      pending.push(item);
      return;
    }
    let ready = this.#ready.get(queue);
    if (ready === undefined) this.#ready.set(queue, (ready = new Heap(readyOrder)));
    ready.push(item);
    this.#serveWaiters();
  }

  /** Hands ready evals to waiting dequeues, longest-waiting first. */
  #serveWaiters(): void {
    for (const w of [...this.#waiters]) {
      if (!this.#waiters.has(w)) continue;
      const d = this.#scan(w.schedulers);
      if (d !== undefined) w.deliver(d);
    }
  }

  #scan(schedulers: readonly string[]): Dequeued | undefined {
    let eligible: string[] = [];
    let priority = 0;
    for (const s of schedulers) {
      const head = this.#ready.get(s)?.peek();
      if (head === undefined) continue;
      if (eligible.length === 0 || head.eval.Priority > priority) {
        eligible = [s];
        priority = head.eval.Priority;
      } else if (head.eval.Priority === priority && !eligible.includes(s)) {
        eligible.push(s);
      }
    }
    if (eligible.length === 0) return undefined;
    const pick = eligible.length === 1 ? eligible[0] : eligible[Math.min(eligible.length - 1, Math.floor(this.#random() * eligible.length))];
    const item = pick === undefined ? undefined : this.#ready.get(pick)?.pop();
    if (pick === undefined || item === undefined) return undefined;

    const token = generateUUID();
    const u: Unacked = { eval: item.eval, token, queue: pick, timer: undefined, paused: false };
    this.#unack.set(item.eval.ID, u);
    this.#evals.set(item.eval.ID, (this.#evals.get(item.eval.ID) ?? 0) + 1);
    this.#armNack(u);
    return { eval: item.eval, token };
  }

  #armNack(u: Unacked): void {
    u.timer?.cancel();
    u.timer = this.#clock.setTimer(this.config.nackTimeoutMs, () => {
      u.timer = undefined;
      if (this.#unack.get(u.eval.ID) === u) this.nack(u.eval.ID, u.token);
    });
  }

  #delay(evaluation: Evaluation, at: number): void {
    this.#delayed.push(evaluation.ID, at, evaluation);
    this.#armDelayTimer();
  }

  /** One timer, for the earliest delayed eval; re-armed whenever the heap changes or it fires. */
  #armDelayTimer(): void {
    this.#delayTimer?.cancel();
    this.#delayTimer = undefined;
    const next = this.#delayed.peek();
    if (next === undefined) return;
    this.#delayTimer = this.#clock.setTimer(Math.max(0, next.at - this.#clock.now()), () => {
      this.#delayTimer = undefined;
      for (const e of this.#delayed.popDue(this.#clock.now())) this.#enqueueReady(e, e.Type);
      this.#armDelayTimer();
    });
  }

  #flush(): void {
    this.#delayTimer?.cancel();
    this.#delayTimer = undefined;
    this.#delayed.clear();
    for (const u of this.#unack.values()) u.timer?.cancel();
    this.#unack.clear();
    this.#evals.clear();
    this.#jobEvals.clear();
    this.#pending.clear();
    this.#ready.clear();
    this.#requeue.clear();
    this.#cancelable = [];
    for (const w of [...this.#waiters]) w.fail(new BrokerDisabledError());
  }
}

// Blocked evaluations (Nomad's nomad/blocked_evals.go): the leader's in-memory set of evals with
// Status "blocked" — evals that could not place every allocation — and the rules for when capacity
// may have appeared for them. Captured evals wait for a node of a class they found eligible, or
// have not seen; escaped evals (constraints on unique attributes) wait for any capacity change;
// system evals also wait on their node. Only one blocked eval per job is kept. Released evals are
// handed to the server as pending copies through `onUnblock`; this module never writes state and
// never enqueues into the broker except through `broker.requeue` for an eval still outstanding.
// Its one timer (pruning old unblock indexes) is cancelled by setEnabled(false).
import type { Clock, TimerHandle } from '../state/clock.js';
import { systemClock } from '../state/clock.js';
import type { Evaluation } from '../structs/eval.js';
import { EvalTrigger } from '../structs/eval.js';
import type { EvalBroker } from './eval-broker.js';
import { namespacedJobKey } from './eval-broker.js';

/** How often old unblock indexes are pruned, and the age at which they go (Nomad's values). */
export const UNBLOCK_PRUNE_INTERVAL_MS = 5 * 60_000;
export const UNBLOCK_PRUNE_THRESHOLD_MS = 15 * 60_000;
/** How often Nomad's leader calls unblockFailed (failedEvalUnblockInterval). */
export const FAILED_EVAL_UNBLOCK_INTERVAL_MS = 60_000;

/** StatusDescription of a blocked eval canceled because a newer blocked eval of its job exists. */
export function duplicateBlockedDescription(jobID: string): string {
  return `existing blocked evaluation exists for job ${JSON.stringify(jobID)}`;
}

/** Evals released from blocking, still with Status "blocked"; the scheduler completes or re-blocks them. */
export interface Unblocked {
  /** Not held by the broker: enqueue them (broker.enqueueAll) once written. */
  readonly enqueue: Evaluation[];
  /** Re-blocked while still outstanding: already handed to broker.requeue, which enqueues them after the ack. */
  readonly requeued: Evaluation[];
}

export interface BlockedEvalsOptions {
  readonly broker: Pick<EvalBroker, 'requeue'>;
  /** Called synchronously, after the tracker's own state is updated, with every release. */
  readonly onUnblock: (unblocked: Unblocked) => void;
  /** Called when a duplicate is added to an empty duplicates list, so a reaper can wake. */
  readonly onDuplicates?: () => void;
  readonly clock?: Clock;
  readonly pruneIntervalMs?: number;
  readonly pruneThresholdMs?: number;
}

export interface BlockedStats {
  /** Every tracked blocked eval, escaped ones included. */
  totalBlocked: number;
  totalEscaped: number;
  /** System evals also indexed by node. */
  totalSystem: number;
  /** Duplicates waiting for takeDuplicates. */
  totalDuplicates: number;
}

interface Tracked {
  readonly eval: Evaluation;
  /** The delivery token of a reblocked eval, '' for one blocked by a completed eval. */
  readonly token: string;
}

interface UnblockEvent {
  readonly index: number;
  readonly at: number;
}

/** The index a blocked eval's view of the cluster reflects. */
const latestIndex = (e: Evaluation): number => Math.max(e.CreateIndex, e.SnapshotIndex);

export class BlockedEvals {
  readonly #broker: Pick<EvalBroker, 'requeue'>;
  readonly #onUnblock: (unblocked: Unblocked) => void;
  readonly #onDuplicates: (() => void) | undefined;
  readonly #clock: Clock;
  readonly #pruneIntervalMs: number;
  readonly #pruneThresholdMs: number;
  #enabled = false;
  #pruneTimer: TimerHandle | undefined;
  /** Evals whose job constraints are captured by computed node class. */
  readonly #captured = new Map<string, Tracked>();
  /** Evals whose constraints escape computed classes: any capacity change may help. */
  readonly #escaped = new Map<string, Tracked>();
  /** Node ID → IDs of the captured system evals blocked on it. */
  readonly #systemByNode = new Map<string, Set<string>>();
  /** Job key → the job's one blocked eval. */
  readonly #jobs = new Map<string, string>();
  /** Computed class → latest unblock. */
  readonly #classUnblocks = new Map<string, UnblockEvent>();
  /** Node ID → latest unblockNode. */
  readonly #nodeUnblocks = new Map<string, UnblockEvent>();
  #duplicates: Evaluation[] = [];

  constructor(opts: BlockedEvalsOptions) {
    this.#broker = opts.broker;
    this.#onUnblock = opts.onUnblock;
    this.#onDuplicates = opts.onDuplicates;
    this.#clock = opts.clock ?? systemClock;
    this.#pruneIntervalMs = opts.pruneIntervalMs ?? UNBLOCK_PRUNE_INTERVAL_MS;
    this.#pruneThresholdMs = opts.pruneThresholdMs ?? UNBLOCK_PRUNE_THRESHOLD_MS;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Only the leader tracks blocked evals. Disabling forgets everything and stops the prune timer. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    if (enabled) {
      this.#armPrune();
      return;
    }
    this.#pruneTimer?.cancel();
    this.#pruneTimer = undefined;
    this.#captured.clear();
    this.#escaped.clear();
    this.#systemByNode.clear();
    this.#jobs.clear();
    this.#classUnblocks.clear();
    this.#nodeUnblocks.clear();
    this.#duplicates = [];
  }

  /** Tracks a blocked eval written by a completed eval's scheduler run. */
  block(evaluation: Evaluation): void {
    this.#block(evaluation, '');
  }

  /**
   * Tracks an eval the scheduler re-blocked while processing it under `token`. If it is released
   * while that delivery is still outstanding, it goes to broker.requeue and runs after the ack.
   */
  reblock(evaluation: Evaluation, token: string): void {
    this.#block(evaluation, token);
  }

  /**
   * Capacity appeared on a node of `computedClass` at raft `index`: releases every captured eval
   * that found the class eligible or has not seen it, and every escaped eval.
   */
  unblock(computedClass: string, index: number): void {
    if (!this.#enabled) return;
    this.#classUnblocks.set(computedClass, { index, at: this.#clock.now() });
    const released: Tracked[] = [...this.#escaped.values()];
    for (const t of this.#captured.values()) {
      if (t.eval.ClassEligibility?.[computedClass] !== false) released.push(t);
    }
    this.#release(released);
  }

  /** Capacity appeared on node `nodeID` at `index`: releases the system evals blocked on it. */
  unblockNode(nodeID: string, index: number): void {
    if (!this.#enabled) return;
    this.#nodeUnblocks.set(nodeID, { index, at: this.#clock.now() });
    const released: Tracked[] = [];
    for (const id of this.#systemByNode.get(nodeID) ?? []) {
      const t = this.#captured.get(id);
      if (t !== undefined) released.push(t);
    }
    this.#release(released);
  }

  /** Releases every eval blocked by hitting the plan attempt limit; the server calls this every minute. */
  unblockFailed(): void {
    if (!this.#enabled) return;
    const released = [...this.#captured.values(), ...this.#escaped.values()].filter((t) => t.eval.TriggeredBy === EvalTrigger.MaxPlanAttempts);
    this.#release(released);
  }

  /**
   * Stops tracking the job's blocked eval without releasing it: the job was registered or
   * deregistered, or an eval for it completed with nothing left to place. Returns what was dropped.
   */
  untrack(namespace: string, jobID: string): Evaluation[] {
    if (!this.#enabled) return [];
    const id = this.#jobs.get(namespacedJobKey(namespace, jobID));
    const t = id === undefined ? undefined : (this.#captured.get(id) ?? this.#escaped.get(id));
    if (t === undefined) return [];
    this.#forget(t.eval);
    return [t.eval];
  }

  /**
   * Removes and returns the blocked evals superseded by a newer one of the same job. The server
   * writes them `canceled` with duplicateBlockedDescription(JobID).
   */
  takeDuplicates(): Evaluation[] {
    const dups = this.#duplicates;
    this.#duplicates = [];
    return dups;
  }

  stats(): BlockedStats {
    let totalSystem = 0;
    for (const ids of this.#systemByNode.values()) totalSystem += ids.size;
    return { totalBlocked: this.#captured.size + this.#escaped.size, totalEscaped: this.#escaped.size, totalSystem, totalDuplicates: this.#duplicates.length };
  }

  /** Forgets unblock indexes recorded before `cutoff` (clock ms); the prune timer calls this. */
  pruneUnblockIndexes(cutoff: number): void {
    for (const events of [this.#classUnblocks, this.#nodeUnblocks]) {
      for (const [key, u] of events) if (u.at < cutoff) events.delete(key);
    }
  }

  #block(evaluation: Evaluation, token: string): void {
    if (!this.#enabled) return;
    if (this.#supersededByExisting(evaluation)) return;
    if (this.#missedUnblock(evaluation)) {
      this.#release([{ eval: evaluation, token }]);
      return;
    }
    const t = { eval: evaluation, token };
    this.#jobs.set(namespacedJobKey(evaluation.Namespace, evaluation.JobID), evaluation.ID);
    if (evaluation.EscapedComputedClass) {
      this.#escaped.set(evaluation.ID, t);
      return;
    }
    this.#captured.set(evaluation.ID, t);
    if (evaluation.Type === 'system' && evaluation.NodeID !== '') {
      let ids = this.#systemByNode.get(evaluation.NodeID);
      if (ids === undefined) this.#systemByNode.set(evaluation.NodeID, (ids = new Set()));
      ids.add(evaluation.ID);
    }
  }

  /**
   * One blocked eval per job: of the tracked one and `evaluation`, the one with the older view
   * (CreateIndex/SnapshotIndex) becomes a duplicate. True when that is `evaluation` itself.
   */
  #supersededByExisting(evaluation: Evaluation): boolean {
    const existingID = this.#jobs.get(namespacedJobKey(evaluation.Namespace, evaluation.JobID));
    const existing = existingID === undefined ? undefined : (this.#captured.get(existingID) ?? this.#escaped.get(existingID));
    if (existing === undefined) return false;
    if (existing.eval.ID === evaluation.ID || latestIndex(existing.eval) <= latestIndex(evaluation)) {
      this.#forget(existing.eval);
      if (existing.eval.ID !== evaluation.ID) this.#addDuplicate(existing.eval); // the same eval blocked again just replaces itself
      return false;
    }
    this.#addDuplicate(evaluation);
    return true;
  }

  #addDuplicate(evaluation: Evaluation): void {
    this.#duplicates.push(evaluation);
    if (this.#duplicates.length === 1) this.#onDuplicates?.();
  }

  /**
   * Whether capacity the eval cares about appeared after the snapshot it was computed on: an
   * unblock of a class it found eligible or never saw, any unblock for an escaped eval, or (system
   * evals) an unblock of its node. Such an eval is released at once instead of waiting.
   */
  #missedUnblock(evaluation: Evaluation): boolean {
    const snapshot = evaluation.SnapshotIndex;
    for (const [cls, u] of this.#classUnblocks) {
      if (u.index <= snapshot) continue;
      if (evaluation.EscapedComputedClass || evaluation.ClassEligibility?.[cls] !== false) return true;
    }
    const node = evaluation.Type === 'system' && evaluation.NodeID !== '' ? this.#nodeUnblocks.get(evaluation.NodeID) : undefined;
    return node !== undefined && node.index > snapshot;
  }

  /** Removes an eval from every index. */
  #forget(evaluation: Evaluation): void {
    const key = namespacedJobKey(evaluation.Namespace, evaluation.JobID);
    if (this.#jobs.get(key) === evaluation.ID) this.#jobs.delete(key);
    this.#captured.delete(evaluation.ID);
    this.#escaped.delete(evaluation.ID);
    const ids = this.#systemByNode.get(evaluation.NodeID);
    if (ids?.delete(evaluation.ID) === true && ids.size === 0) this.#systemByNode.delete(evaluation.NodeID);
  }

  /** Stops tracking `released`, then hands pending copies to the broker (outstanding) or the server. */
  #release(released: readonly Tracked[]): void {
    if (released.length === 0) return;
    for (const t of released) this.#forget(t.eval);
    const out: Unblocked = { enqueue: [], requeued: [] };
    for (const t of released) {
      // Released evals keep Status "blocked" (as Nomad's do): the scheduler then re-blocks the same
      // eval if it still cannot place everything, instead of creating another blocked eval.
      const copy: Evaluation = { ...t.eval };
      if (t.token !== '' && this.#broker.requeue(copy, t.token)) out.requeued.push(copy);
      else out.enqueue.push(copy);
    }
    this.#onUnblock(out);
  }

  #armPrune(): void {
    this.#pruneTimer = this.#clock.setTimer(this.#pruneIntervalMs, () => {
      this.pruneUnblockIndexes(this.#clock.now() - this.#pruneThresholdMs);
      this.#armPrune();
    });
  }
}

// The restart tracker: decides, after a task exits or fails to start, whether it restarts and
// after how long — Nomad's algorithm (client/allocrunner/taskrunner/restarts/restarts.go) step for
// step, with its reasons spelled as Nomad spells them. Pure: the clock and the random source are
// inputs, so tests replay it with a fake clock and a seeded RNG. It never sleeps or kills anything.
import type { Nanos } from '../structs/duration.js';
import { formatDuration } from '../structs/duration.js';
import type { RestartPolicy, TaskLifecycleConfig } from '../structs/job.js';
import type { ExitResult } from '../drivers/driver.js';
import { exitSuccessful } from '../drivers/driver.js';

/** Jitter added to the restart delay: delay + rand[0, delay) · 0.25. */
export const RESTART_JITTER = 0.25;

export const ReasonNoRestartsAllowed = 'Policy allows no restarts';
export const ReasonUnrecoverableError = 'Error was unrecoverable';
export const ReasonWithinPolicy = 'Restart within policy';
export const ReasonDelay = 'Exceeded allowed attempts, applying a delay';
export const ReasonSuccessfulExit = 'Restart unnecessary as task terminated successfully';

/** What GetState decides; '' means "no decision" (nothing failed: keep running). */
export type RestartState = 'Killed' | 'Restarting' | 'Not Restarting' | 'Terminated' | '';

export interface RestartDecision {
  state: RestartState;
  /** How long to wait before starting again (only for Restarting). */
  delay: Nanos;
  reason: string;
}

/** A start failure as the tracker sees it: recoverable errors are retried per policy. */
export interface StartError {
  message: string;
  recoverable: boolean;
}

export interface RestartTrackerOptions {
  /** Epoch ms. */
  now?: () => number;
  /** Uniform in [0, 1). */
  random?: () => number;
}

export class RestartTracker {
  private exitRes: ExitResult | null = null;
  private startErr: StartError | null = null;
  private killed = false;
  private restartTriggered = false;
  private failure = false;
  private count = 0;
  private startTime: number;
  private lastReason = '';
  readonly onSuccess: boolean;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private policy: RestartPolicy,
    jobType: string,
    lifecycle: TaskLifecycleConfig | null,
    opts: RestartTrackerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.startTime = this.now();
    // Batch and sysbatch tasks are done when they exit 0; lifecycle tasks restart on success only
    // when they are sidecars, and poststop tasks never do.
    let onSuccess = jobType !== 'batch' && jobType !== 'sysbatch';
    if (lifecycle?.Hook === 'prestart' || lifecycle?.Hook === 'poststart') onSuccess = lifecycle.Sidecar;
    if (lifecycle?.Hook === 'poststop') onSuccess = false;
    this.onSuccess = onSuccess;
  }

  setPolicy(policy: RestartPolicy): void {
    this.policy = policy;
  }

  getPolicy(): RestartPolicy {
    return this.policy;
  }

  /** The most recent start failed. */
  setStartError(err: StartError): this {
    this.startErr = err;
    this.failure = true;
    return this;
  }

  /** The task exited with this result. */
  setExitResult(res: ExitResult | null): this {
    this.exitRes = res;
    this.failure = true;
    return this;
  }

  /** A restart was asked for: `failure` counts it against the policy, otherwise it is immediate. */
  setRestartTriggered(failure: boolean): this {
    if (failure) this.failure = true;
    else this.restartTriggered = true;
    return this;
  }

  setKilled(): this {
    this.killed = true;
    return this;
  }

  /** The reason of the last decision, as shown in Restarting / Not Restarting events. */
  get reason(): string {
    return this.lastReason;
  }

  /** Restarts counted in the current interval. */
  get restartCount(): number {
    return this.count;
  }

  /** Decides what happens next and clears the recorded outcome (Nomad's GetState). */
  getState(): RestartDecision {
    try {
      return this.decide();
    } finally {
      this.startErr = null;
      this.exitRes = null;
      this.restartTriggered = false;
      this.failure = false;
      this.killed = false;
    }
  }

  private result(state: RestartState, delay: Nanos, reason: string): RestartDecision {
    this.lastReason = reason;
    return { state, delay, reason };
  }

  private decide(): RestartDecision {
    if (this.killed) return this.result('Killed', 0, '');
    if (this.restartTriggered) return this.result('Restarting', 0, '');

    const p = this.policy;
    if (p.Attempts === 0) {
      if (!this.onSuccess && this.exitRes && exitSuccessful(this.exitRes)) return this.result('Terminated', 0, ReasonNoRestartsAllowed);
      return this.result('Not Restarting', 0, ReasonNoRestartsAllowed);
    }

    // A new interval begins once the current one has passed; the count starts over.
    const now = this.now();
    if (now > this.startTime + p.Interval / 1e6) {
      this.count = 0;
      this.startTime = now;
    }
    this.count++;

    if (!this.failure) return this.result('', 0, this.lastReason);

    if (this.startErr) {
      if (!this.startErr.recoverable) return this.result('Not Restarting', 0, ReasonUnrecoverableError);
    } else if (this.exitRes && exitSuccessful(this.exitRes) && !this.onSuccess) {
      return this.result('Terminated', 0, ReasonSuccessfulExit);
    }

    if (this.count > p.Attempts) {
      if (p.Mode === 'fail') return this.result('Not Restarting', 0, `Exceeded allowed attempts ${p.Attempts} in interval ${formatDuration(p.Interval)} and mode is "fail"`);
      return this.result('Restarting', this.delayToNextInterval(now), ReasonDelay);
    }
    return this.result('Restarting', this.jitter(), ReasonWithinPolicy);
  }

  /** Time left until the current interval ends (mode "delay"). */
  private delayToNextInterval(now: number): Nanos {
    return Math.max(0, (this.startTime - now) * 1e6 + this.policy.Interval);
  }

  /** delay + rand.Int63n(delay) · 0.25, in whole nanoseconds as Go computes it. */
  private jitter(): Nanos {
    const d = this.policy.Delay > 0 ? this.policy.Delay : 1;
    const r = Math.floor(this.random() * d);
    return d + Math.trunc(r * RESTART_JITTER);
  }
}

/** The task's restart policy: the task-level block when set (already merged over the group's at register), else the group's. */
export function effectiveRestartPolicy(taskPolicy: RestartPolicy | null, groupPolicy: RestartPolicy): RestartPolicy {
  return taskPolicy ?? groupPolicy;
}

// check_restart for Nomad-provider checks (Nomad's serviceregistration/watcher.go): the check
// watcher polls the client's check statuses every second and restarts a workload — a task, or
// every running task of an allocation for group services — once a watched check has been
// unhealthy ("failure", or still "pending") for interval × (limit − 1) past its grace period. The
// restart is a failure: it emits "Restart Signaled" ("healthcheck: check "<name>" unhealthy") and
// counts against the restart policy. The decision (`CheckRestarter.apply`) is pure: time is an input.
import type { Logger } from '../../structs/logger.js';
import { triggersRestarts } from '../../structs/checks.js';
import type { ServiceCheck } from '../../structs/services.js';
import { errorMessage, sleep } from '../async.js';

/** What a check restart acts on (Nomad's WorkloadRestarter): a task runner, or an alloc runner's running tasks. */
export interface WorkloadRestarter {
  restart(reason: string, failure: boolean): Promise<void>;
}

/** How often the watcher reads check statuses (Nomad's pollFrequency). */
export const CHECK_WATCH_POLL_MS = 1_000;

/** The restart state of one watched check (Nomad's restarter). */
export class CheckRestarter {
  /** When the check first went unhealthy; null while healthy. */
  private unhealthySince: number | null = null;
  readonly graceUntil: number;
  private readonly timeLimitMs: number;
  private readonly ignoreWarnings: boolean;

  constructor(
    readonly allocID: string,
    /** The workload's name: the task, or "group-<group>" for group services. */
    readonly workload: string,
    readonly checkName: string,
    check: ServiceCheck,
    readonly restarter: WorkloadRestarter,
    nowMs: number,
  ) {
    const cr = check.CheckRestart;
    this.graceUntil = nowMs + (cr?.Grace ?? 0) / 1e6;
    this.timeLimitMs = (check.Interval / 1e6) * ((cr?.Limit ?? 1) - 1);
    this.ignoreWarnings = cr?.IgnoreWarnings ?? false;
  }

  get taskKey(): string {
    return `${this.allocID}${this.workload}`;
  }

  /** The restart reason Nomad records on the Restart Signaled event. */
  get reason(): string {
    return `healthcheck: check ${JSON.stringify(this.checkName)} unhealthy`;
  }

  /** Applies one observed status at `nowMs`; true when the workload must restart now. */
  apply(nowMs: number, status: string): boolean {
    switch (status) {
      case 'critical':
      case 'failure':
      case 'pending':
        break;
      case 'warning':
        if (!this.ignoreWarnings) break;
        this.unhealthySince = null;
        return false;
      default:
        this.unhealthySince = null;
        return false;
    }
    if (nowMs < this.graceUntil) return false;
    this.unhealthySince ??= nowMs;
    // >=: with limit 1 the deadline is the first unhealthy observation itself.
    return nowMs >= this.unhealthySince + this.timeLimitMs;
  }
}

export interface CheckWatcherOptions {
  /** check ID → latest status of every check on the client. */
  statuses: () => ReadonlyMap<string, string>;
  logger: Logger;
  now?: () => number;
  pollMs?: number;
}

/** Watches checks with check_restart and restarts their workloads (Nomad's UniversalCheckWatcher). */
export class CheckWatcher {
  private readonly watched = new Map<string, CheckRestarter>();
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly opts: CheckWatcherOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
  }

  /** Watches `check` (a no-op without check_restart limit); watching an ID again starts its grace over. */
  watch(allocID: string, workload: string, checkID: string, check: ServiceCheck, restarter: WorkloadRestarter): void {
    if (!triggersRestarts(check)) return;
    this.watched.set(checkID, new CheckRestarter(allocID, workload, check.Name, check, restarter, this.now()));
    this.log.trace('now watching check', { alloc_id: allocID, task: workload, check: check.Name });
  }

  unwatch(checkID: string): void {
    this.watched.delete(checkID);
  }

  /** How many checks are watched (for tests and debugging). */
  get size(): number {
    return this.watched.size;
  }

  /** One poll: applies every watched check's status; restarts each workload at most once. */
  tick(): void {
    if (this.watched.size === 0) return;
    const now = this.now();
    const statuses = this.opts.statuses();
    const restarted = new Set<string>();
    for (const [id, r] of this.watched) {
      if (restarted.has(r.taskKey)) {
        this.watched.delete(id);
        continue;
      }
      const status = statuses.get(id);
      if (status === undefined) {
        if (now > r.graceUntil) this.log.warn('watched check not found', { check_id: id });
        continue;
      }
      if (!r.apply(now, status)) continue;
      this.log.debug('restarting due to unhealthy check', { alloc_id: r.allocID, task: r.workload, check: r.checkName });
      // Watched again when the workload starts and registers its services.
      this.watched.delete(id);
      restarted.add(r.taskKey);
      r.restarter.restart(r.reason, true).catch((err: unknown) => this.log.debug('failed to restart task', { alloc_id: r.allocID, task: r.workload, error: errorMessage(err) }));
    }
    for (const [id, r] of this.watched) if (restarted.has(r.taskKey)) this.watched.delete(id);
  }

  /** Polls until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const every = this.opts.pollMs ?? CHECK_WATCH_POLL_MS;
    while ((await sleep(every, signal)) === 'timeout') this.tick();
  }
}

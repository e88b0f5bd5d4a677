// The alloc runner: one per allocation on this node (Nomad's allocRunner). It builds the alloc
// dir through its ordered hooks, runs a task runner per task behind the lifecycle coordinator,
// kills siblings when the leader dies or a task fails, kills tasks in Nomad's order when the
// server stops the allocation, derives the allocation's client status from its task states, and
// reports every change to the client for syncing. On agent shutdown it leaves tasks running.
import type { ClientAllocUpdate } from '../../api/internal.js';
import type { Allocation, TaskEvent, TaskState } from '../../structs/alloc.js';
import type { AllocCheckStatuses } from '../../structs/checks.js';
import { isClientTerminal, isServerTerminal, TaskEventType } from '../../structs/alloc.js';
import { lookupTaskGroup } from '../../structs/job.js';
import type { Logger } from '../../structs/logger.js';
import type { Node } from '../../structs/node.js';
import type { TaskDriver } from '../../drivers/driver.js';
import { AllocDir } from '../allocdir.js';
import { errorMessage } from '../async.js';
import type { CheckStore } from '../checks/store.js';
import type { ClientStateDB, PersistedAlloc } from '../state-db.js';
import { killingEvent, newTaskEvent } from '../task-events.js';
import { TaskRunner, type TaskRunnerConfig } from '../taskrunner/task-runner.js';
import { clientStatusFromTasks } from './alloc-status.js';
import { buildAllocHooks, type AllocHook, type AllocHookContext } from './hooks.js';
import { LifecycleCoordinator } from './lifecycle.js';
import { TaskNotRunningError } from '../taskrunner/hook.js';

export interface AllocRunnerConfig {
  alloc: Allocation;
  drivers: ReadonlyMap<string, TaskDriver>;
  /** The client's alloc_dir; this allocation lives in <allocRoot>/<alloc_id>. */
  allocRoot: string;
  node: () => Node;
  region: string;
  hostEnv: Readonly<Record<string, string | undefined>>;
  db: ClientStateDB;
  logger: Logger;
  /** Called whenever the allocation's client-visible state changes. */
  onUpdate: (ar: AllocRunner) => void;
  serversContacted: Promise<void>;
  restore?: PersistedAlloc | undefined;
  hooks?: AllocHook[];
  /** The client's check results (what checkResults() reads); the checks hook writes them. */
  checks?: CheckStore;
  /** Options passed to every task runner (clock, RNG, kill timeouts, hooks) — tests use these. */
  taskRunner?: Partial<Pick<TaskRunnerConfig, 'hooks' | 'maxKillTimeoutMs' | 'killBackoffBaseMs' | 'now' | 'random'>>;
}

export class AllocRunner {
  readonly id: string;
  readonly allocDir: AllocDir;
  private current: Allocation;
  private readonly runners = new Map<string, TaskRunner>();
  private readonly coordinator: LifecycleCoordinator;
  private readonly hooks: AllocHook[];
  private readonly log: Logger;
  private readonly stopCtl = new AbortController();
  private clientStatus: Allocation['ClientStatus'];
  private clientDescription: string;
  private acknowledged: ClientAllocUpdate | null;
  private killPromise: Promise<void> | undefined;
  private killingForSiblings = false;
  private runPromise: Promise<void> | undefined;
  private destroyed = false;

  constructor(private readonly cfg: AllocRunnerConfig) {
    this.id = cfg.alloc.ID;
    this.current = cfg.alloc;
    this.log = cfg.logger.named('alloc_runner');
    this.allocDir = new AllocDir(cfg.allocRoot, cfg.alloc.ID);
    this.hooks = cfg.hooks ?? buildAllocHooks();
    this.clientStatus = cfg.alloc.ClientStatus;
    this.clientDescription = cfg.alloc.ClientDescription;
    this.acknowledged = cfg.restore?.acknowledged ?? null;
    const group = cfg.alloc.Job ? lookupTaskGroup(cfg.alloc.Job, cfg.alloc.TaskGroup) : undefined;
    const tasks = group?.Tasks ?? [];
    this.coordinator = new LifecycleCoordinator(tasks);
    cfg.db.putAllocation(cfg.alloc);
    for (const task of tasks) {
      const tr = new TaskRunner({
        alloc: cfg.alloc,
        task,
        driver: cfg.drivers.get(task.Driver),
        allocDir: this.allocDir,
        node: cfg.node,
        region: cfg.region,
        hostEnv: cfg.hostEnv,
        db: cfg.db,
        logger: cfg.logger,
        onStateChange: () => this.taskStateUpdated(),
        startGate: this.coordinator.gate(task.Name),
        serversContacted: cfg.serversContacted,
        noShutdownDelay: () => this.current.DesiredTransition.NoShutdownDelay === true,
        restore: cfg.restore?.tasks[task.Name],
        ...cfg.taskRunner,
      });
      this.runners.set(task.Name, tr);
    }
    if (!group) this.log.error('allocation has no task group', { alloc_id: this.id, group: cfg.alloc.TaskGroup });
  }

  // ---- what the client and the HTTP layer read ------------------------------------------------

  /** The allocation as this client sees it: the server's copy with the client's status and task states. */
  alloc(): Allocation {
    return { ...this.current, ClientStatus: this.clientStatus, ClientDescription: this.clientDescription, TaskStates: this.taskStates() };
  }

  taskStates(): Record<string, TaskState> {
    const out: Record<string, TaskState> = {};
    for (const [name, tr] of this.runners) out[name] = tr.taskState();
    return out;
  }

  taskRunner(name: string): TaskRunner | undefined {
    return this.runners.get(name);
  }

  taskRunners(): TaskRunner[] {
    return [...this.runners.values()];
  }

  /** The latest result of each Nomad-provider service check (null when there are none). */
  checkResults(): AllocCheckStatuses | null {
    return this.cfg.checks?.list(this.id) ?? null;
  }

  /** What the client sends the servers about this allocation (Nomad's AllocStateUpdated stripped alloc). */
  clientUpdate(): ClientAllocUpdate {
    return { ID: this.id, ClientStatus: this.clientStatus, ClientDescription: this.clientDescription, TaskStates: this.taskStates() };
  }

  /** The servers have this state; it need not be sent again (persisted as acknowledged_state). */
  acknowledge(update: ClientAllocUpdate): void {
    this.acknowledged = update;
    if (!this.destroyed) this.cfg.db.putAcknowledged(this.id, update);
  }

  /** Whether `update` differs from what the servers last acknowledged. */
  needsSync(update: ClientAllocUpdate): boolean {
    return this.acknowledged === null || JSON.stringify(this.acknowledged) !== JSON.stringify(update);
  }

  /** Done: every task runner has finished. */
  get isDone(): boolean {
    return this.taskRunners().every((tr) => tr.isFinished);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Re-attaches every task to what it left running before an agent restart. */
  async restore(): Promise<void> {
    await Promise.all(this.taskRunners().map((tr) => tr.restore()));
    this.coordinator.update(this.taskStates());
    this.recomputeStatus();
  }

  /** Runs the allocation: prerun hooks, then every task runner (behind its lifecycle gate), then postrun hooks. */
  run(): Promise<void> {
    this.runPromise ??= this.runInner().catch((err: unknown) => this.log.error('alloc runner failed', { alloc_id: this.id, error: errorMessage(err) }));
    return this.runPromise;
  }

  private hookCtx(): AllocHookContext {
    return { alloc: this.current, allocDir: this.allocDir, logger: this.log, signal: this.stopCtl.signal };
  }

  private async runInner(): Promise<void> {
    this.coordinator.update(this.taskStates());
    const terminal = isClientTerminal(this.current.ClientStatus);
    if (!terminal) {
      try {
        for (const h of this.hooks) await h.prerun?.(this.hookCtx());
      } catch (err) {
        const msg = `failed to setup alloc: ${errorMessage(err)}`;
        this.log.error('prerun failed', { alloc_id: this.id, error: msg });
        for (const tr of this.taskRunners()) tr.emitEvent(newTaskEvent(TaskEventType.SetupFailure, Date.now(), { SetupError: msg, FailsTask: true }));
        await this.killTasks();
      }
    }
    if (isServerTerminal(this.current.DesiredStatus)) void this.killTasks();
    await Promise.all(this.taskRunners().map((tr) => tr.run()));
    if (this.stopCtl.signal.aborted) return;
    for (const h of this.hooks) await h.postrun?.(this.hookCtx()).catch((err: unknown) => this.log.warn('postrun hook failed', { hook: h.name, error: errorMessage(err) }));
  }

  /** A newer version of the allocation from the servers (Nomad's allocRunner.Update). */
  update(alloc: Allocation): void {
    if (alloc.AllocModifyIndex < this.current.AllocModifyIndex) return;
    this.current = alloc;
    if (!this.destroyed) this.cfg.db.putAllocation(alloc);
    for (const tr of this.taskRunners()) tr.updateAlloc(alloc);
    if (!isServerTerminal(alloc.DesiredStatus)) for (const h of this.hooks) h.update?.(this.hookCtx()).catch((err: unknown) => this.log.warn('update hook failed', { hook: h.name, error: errorMessage(err) }));
    if (isServerTerminal(alloc.DesiredStatus)) {
      // alloc stop -no-shutdown-delay: skip the delays already running.
      if (alloc.DesiredTransition.NoShutdownDelay) for (const tr of this.taskRunners()) tr.cancelShutdownDelay();
      void this.killTasks();
    }
  }

  /**
   * Restarts every running task in place (Nomad's allocRunner.Restart, what a group service's
   * check_restart calls): the task-restart hooks first, then each running task; a `failure`
   * restart counts against the restart policy. Tasks that are not running are left alone.
   */
  async restart(reason: string, failure: boolean): Promise<void> {
    if (isServerTerminal(this.current.DesiredStatus) || isClientTerminal(this.clientStatus)) throw new Error('restart of an alloc that should not run');
    for (const h of this.hooks) await h.preTaskRestart?.(this.hookCtx()).catch((err: unknown) => this.log.warn('preTaskRestart hook failed', { hook: h.name, error: errorMessage(err) }));
    const running = this.taskRunners().filter((tr) => tr.taskState().State === 'running');
    const errors: string[] = [];
    const restartOne = async (tr: TaskRunner): Promise<void> => {
      try {
        await tr.restart(reason, failure);
      } catch (err) {
        // A task that stopped meanwhile is not an error, as Nomad ignores ErrTaskNotRunning.
        if (!(err instanceof TaskNotRunningError)) errors.push(`failed to restart task ${tr.name}: ${errorMessage(err)}`);
      }
    };
    await Promise.all(running.map(restartOne));
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  /**
   * Kills the tasks in Nomad's order: the leader first (and waits for it), then the other main
   * tasks together, then sidecars; poststop tasks are not killed — they run once the main tasks
   * are dead.
   */
  killTasks(): Promise<void> {
    this.killPromise ??= this.killTasksInner();
    return this.killPromise;
  }

  private async killTasksInner(): Promise<void> {
    for (const h of this.hooks) await h.preKill?.(this.hookCtx()).catch((err: unknown) => this.log.warn('preKill hook failed', { hook: h.name, error: errorMessage(err) }));
    const kill = (tr: TaskRunner): Promise<void> => tr.kill(tr.isFinished || tr.taskState().State === 'dead' ? undefined : killingEvent(Date.now(), tr.killTimeoutMs() * 1e6));
    const all = this.taskRunners();
    const leader = all.find((tr) => tr.isLeader);
    if (leader) await kill(leader);
    await Promise.all(all.filter((tr) => !tr.isLeader && !tr.isPoststop && !tr.isSidecar).map(kill));
    await Promise.all(all.filter((tr) => tr.isSidecar && !tr.isLeader && !tr.isPoststop).map(kill));
  }

  /** Stops watching without touching the tasks (agent shutdown; they are recovered on restart). */
  async shutdown(): Promise<void> {
    this.stopCtl.abort();
    await Promise.all(this.taskRunners().map((tr) => tr.shutdown()));
    await this.runPromise;
  }

  /** Kills everything and removes the allocation from this node: its tasks, its directory, its saved state. */
  async destroy(): Promise<void> {
    await this.killTasks();
    // Poststop tasks are not killed by killTasks; a destroyed allocation does not wait for them.
    await Promise.all(this.taskRunners().map((tr) => tr.kill()));
    await this.runPromise;
    this.destroyed = true;
    for (const h of this.hooks) await h.destroy?.(this.hookCtx()).catch((err: unknown) => this.log.warn('destroy hook failed', { hook: h.name, error: errorMessage(err) }));
    this.cfg.db.deleteAllocation(this.id);
  }

  // ---- task state handling (Nomad's handleTaskStateUpdates) -----------------------------------

  private taskStateUpdated(): void {
    const states = this.taskStates();
    this.coordinator.update(states);
    this.killSiblingsIfNeeded();
    this.recomputeStatus();
    this.cfg.onUpdate(this);
  }

  private recomputeStatus(): void {
    const { status, description } = clientStatusFromTasks(this.taskStates());
    if (status !== '') {
      this.clientStatus = status;
      this.clientDescription = description;
    }
  }

  /** A dead leader kills the group ("Leader Task Dead"); a failed task kills its siblings ("Sibling Task Failed"); only sidecars left → "Main Tasks Dead". */
  private killSiblingsIfNeeded(): void {
    if (this.killingForSiblings) return;
    let killEvent: TaskEvent | null = null;
    const live: TaskRunner[] = [];
    const hasSidecars = this.taskRunners().some((tr) => tr.isSidecar);
    for (const tr of this.taskRunners()) {
      if (tr.isPoststop) continue;
      const s = tr.taskState();
      if (s.State !== 'dead') {
        live.push(tr);
        continue;
      }
      if (s.Failed) {
        killEvent ??= newTaskEvent(TaskEventType.SiblingFailed, Date.now(), { FailedSibling: tr.name });
      } else if (tr.isLeader) {
        killEvent = newTaskEvent(TaskEventType.LeaderDead, Date.now());
      }
    }
    if (live.length === 0) return;
    if (killEvent === null && hasSidecars && live.every((tr) => tr.isSidecar)) killEvent = newTaskEvent(TaskEventType.MainDead, Date.now());
    if (killEvent === null) return;
    this.killingForSiblings = true;
    this.log.debug('killing remaining tasks', { alloc_id: this.id, reason: killEvent.Type });
    for (const tr of live) tr.emitEvent(killEvent);
    void this.killTasks();
  }
}

// The task runner: runs one task of an allocation through its life — wait for the lifecycle gate,
// prestart hooks, driver start, poststart hooks, wait for exit (or kill), Terminated, exited hooks,
// the restart tracker's decision, delay, again — as Nomad's TaskRunner.Run does, emitting Nomad's
// task events and persisting its state so a restarted agent re-attaches instead of starting the
// task twice. It never kills a task on agent shutdown: shutdown() only stops watching.
import { randomBytes } from 'node:crypto';
import type { Allocation, TaskEvent, TaskState, TaskStateName } from '../../structs/alloc.js';
import { isClientTerminal, isServerTerminal, TaskEventType } from '../../structs/alloc.js';
import { lookupTaskGroup, type Task } from '../../structs/job.js';
import type { Logger } from '../../structs/logger.js';
import type { Node } from '../../structs/node.js';
import { DriverError, type ExecOptions, type ExitResult, type ResourceUsage, type TaskConfig, type TaskDirs, type TaskDriver, type TaskHandle } from '../../drivers/driver.js';
import type { AllocDir } from '../allocdir.js';
import { errorMessage, race, sleep } from '../async.js';
import { RestartTracker, type StartError } from '../restarts.js';
import { emptyLocalState, type ClientStateDB, type LocalTaskState, type PersistedTask } from '../state-db.js';
import { appendTaskEvent, newTaskEvent, newTaskState, transitionTaskState } from '../task-events.js';
import { TaskEnvBuilder } from '../taskenv.js';
import { ReportedHookError, TaskNotRunningError, UnrecoverableHookError, type TaskHook, type TaskHookContext, type TaskHookResources, type TaskLifecycle } from './hook.js';
import { buildTaskHooks } from './hooks.js';
import { DEFAULT_LOG_MAX_FILE_SIZE_MB, DEFAULT_LOG_MAX_FILES } from './hooks/logs.js';

/** Nomad's client max_kill_timeout default: no task waits longer than this for its kill. */
export const DEFAULT_MAX_KILL_TIMEOUT_MS = 30_000;
const KILL_BACKOFF_BASE_MS = 5_000;
const KILL_BACKOFF_LIMIT_MS = 120_000;
const KILL_FAILURE_LIMIT = 5;

export interface TaskRunnerConfig {
  alloc: Allocation;
  task: Task;
  driver: TaskDriver | undefined;
  allocDir: AllocDir;
  node: () => Node;
  region: string;
  hostEnv: Readonly<Record<string, string | undefined>>;
  db: ClientStateDB;
  logger: Logger;
  /** Called after every change of the task's state or events. */
  onStateChange: (tr: TaskRunner) => void;
  /** Resolves when the lifecycle coordinator lets this task start. */
  startGate: Promise<void>;
  /** Resolves once the servers have been contacted (a task whose restore failed waits for it). */
  serversContacted: Promise<void>;
  /** Skips shutdown_delay when the server asked for it (alloc stop -no-shutdown-delay). */
  noShutdownDelay?: () => boolean;
  /** What was persisted for this task before an agent restart. */
  restore?: PersistedTask | undefined;
  hooks?: TaskHook[];
  maxKillTimeoutMs?: number;
  killBackoffBaseMs?: number;
  now?: () => number;
  random?: () => number;
}

export class TaskRunner {
  readonly name: string;
  readonly task: Task;
  private alloc: Allocation;
  private state: TaskState;
  private local: LocalTaskState;
  private handle: TaskHandle | null = null;
  private taskConfig: TaskConfig | null = null;
  private recovered = false;
  private waitOnServers = false;
  private readonly tracker: RestartTracker;
  private readonly hooks: TaskHook[];
  private readonly envBuilder: TaskEnvBuilder;
  private readonly resources: TaskHookResources = { logs: null };
  private readonly killCtl = new AbortController();
  private readonly shutdownCtl = new AbortController();
  private readonly shutdownDelayCtl = new AbortController();
  private readonly log: Logger;
  private readonly now: () => number;
  private runPromise: Promise<void> | undefined;
  private finished = false;
  private killError = '';

  constructor(private readonly cfg: TaskRunnerConfig) {
    this.task = cfg.task;
    this.name = cfg.task.Name;
    this.alloc = cfg.alloc;
    this.now = cfg.now ?? Date.now;
    this.log = cfg.logger.named('task_runner');
    this.hooks = cfg.hooks ?? buildTaskHooks();
    this.envBuilder = new TaskEnvBuilder(cfg.node(), cfg.alloc, cfg.task, cfg.region);
    const job = cfg.alloc.Job;
    const group = job ? lookupTaskGroup(job, cfg.alloc.TaskGroup) : undefined;
    const policy = cfg.task.RestartPolicy ?? group?.RestartPolicy ?? { Attempts: 0, Interval: 0, Delay: 0, Mode: 'fail', RenderTemplates: false };
    this.tracker = new RestartTracker(policy, job?.Type ?? 'service', cfg.task.Lifecycle, { now: this.now, ...(cfg.random ? { random: cfg.random } : {}) });
    const restored = cfg.restore;
    this.local = restored?.local ? { ...emptyLocalState(), ...restored.local } : emptyLocalState();
    const fromAlloc = cfg.alloc.TaskStates?.[this.name];
    if (restored?.taskState) this.state = restored.taskState;
    else if (fromAlloc) this.state = { ...fromAlloc, Events: [...(fromAlloc.Events ?? [])] };
    else {
      this.state = newTaskState();
      this.state = appendTaskEvent(this.state, newTaskEvent(TaskEventType.Received, this.now()));
      this.persistState();
    }
  }

  // ---- what the alloc runner and the HTTP layer read -----------------------------------------

  taskState(): TaskState {
    return this.state;
  }

  get isLeader(): boolean {
    return this.task.Leader;
  }
  get isSidecar(): boolean {
    return this.task.Lifecycle?.Sidecar === true;
  }
  get isPoststop(): boolean {
    return this.task.Lifecycle?.Hook === 'poststop';
  }
  get lifecycleHook(): string {
    return this.task.Lifecycle?.Hook ?? '';
  }

  /** The handle of the running task (null when not running). */
  driverHandle(): TaskHandle | null {
    return this.handle;
  }

  /** The config the running task was started with (its env, dirs and interpolated driver config). */
  runningConfig(): TaskConfig | null {
    return this.taskConfig;
  }

  taskDirs(): TaskDirs {
    return this.cfg.allocDir.taskDirs(this.name);
  }

  driver(): TaskDriver | undefined {
    return this.cfg.driver;
  }

  /** Resolves when the run loop has finished (task dead, or the runner shut down). */
  wait(): Promise<void> {
    return this.runPromise ?? Promise.resolve();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  updateAlloc(alloc: Allocation): void {
    this.alloc = alloc;
    this.envBuilder.setAlloc(alloc);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Re-attaches to the task recorded before an agent restart (Nomad's TaskRunner.Restore). A
   * handle the driver can recover is kept — no new start, no new Started event; one it cannot is
   * destroyed, and the task waits for the servers before it may run again.
   */
  async restore(): Promise<void> {
    const { handle, taskConfig } = this.local;
    if (!handle || !taskConfig) return;
    const driver = this.cfg.driver;
    try {
      if (!driver) throw new Error(`driver ${JSON.stringify(this.task.Driver)} is not available on this node`);
      await driver.recoverTask(handle, taskConfig);
      this.handle = handle;
      this.taskConfig = taskConfig;
      this.recovered = true;
      this.log.info('re-attached to task', { alloc_id: this.alloc.ID, task: this.name, task_id: handle.taskID });
    } catch (err) {
      this.log.error('failed to restore task', { alloc_id: this.alloc.ID, task: this.name, error: errorMessage(err) });
      await driver?.destroyTask(handle.taskID, true).catch(() => undefined);
      this.local = { ...this.local, handle: null, taskConfig: null };
      this.persistLocal();
      if (this.state.State === 'running' && !isServerTerminal(this.alloc.DesiredStatus) && !isClientTerminal(this.alloc.ClientStatus)) {
        this.waitOnServers = true;
        const ev = newTaskEvent(TaskEventType.RestoreFailed, this.now(), { Message: errorMessage(err) });
        ev.DisplayMessage = 'failed to restore task; will not run until server is contacted';
        this.emitEvent(ev);
      }
    }
  }

  /** Starts the run loop (once). */
  run(): Promise<void> {
    this.runPromise ??= this.runLoop()
      .catch((err: unknown) => this.log.error('task runner failed', { alloc_id: this.alloc.ID, task: this.name, error: errorMessage(err) }))
      .finally(() => {
        this.finished = true;
      });
    return this.runPromise;
  }

  /** Kills the task (Nomad's TaskRunner.Kill): emits `event`, stops the task within its kill timeout, waits for the runner. */
  async kill(event?: TaskEvent): Promise<void> {
    if (this.finished || this.killCtl.signal.aborted) {
      await this.wait();
      return;
    }
    if (event) this.emitEvent(event);
    this.killCtl.abort();
    await this.wait();
  }

  /** Skips the rest of a running shutdown_delay. */
  cancelShutdownDelay(): void {
    this.shutdownDelayCtl.abort();
  }

  /** Stops the runner without touching the task (agent shutdown): the task keeps running and is recovered on restart. */
  async shutdown(): Promise<void> {
    this.shutdownCtl.abort();
    await this.wait();
  }

  /** Restarts the running task in place (`alloc restart`): Restart Signaled, stop, start again without counting against the policy. */
  async restart(reason: string, failure = false): Promise<void> {
    await this.restartWith(newTaskEvent(TaskEventType.RestartSignal, this.now(), { RestartReason: reason }), failure);
  }

  /** Sends a signal to the running task (`alloc signal`). */
  async signal(sig: string, reason = ''): Promise<void> {
    await this.signalWith(newTaskEvent(TaskEventType.Signaling, this.now(), { TaskSignal: sig, TaskSignalReason: reason }), sig);
  }

  /** restart() with the caller's event (a template's "Template with change_mode restart re-rendered"). */
  private async restartWith(event: TaskEvent, failure: boolean): Promise<void> {
    const handle = this.handle;
    const driver = this.cfg.driver;
    if (!handle || !driver || this.state.State !== 'running') throw new TaskNotRunningError();
    this.emitEvent(event);
    this.tracker.setRestartTriggered(failure);
    await driver.stopTask(handle.taskID, this.killTimeoutMs(), this.task.KillSignal);
  }

  private async signalWith(event: TaskEvent, sig: string): Promise<void> {
    const handle = this.handle;
    const driver = this.cfg.driver;
    if (!handle || !driver || this.state.State !== 'running') throw new TaskNotRunningError();
    this.emitEvent(event);
    await driver.signalTask(handle.taskID, sig);
  }

  async stats(): Promise<ResourceUsage> {
    const handle = this.handle;
    if (!handle || !this.cfg.driver) throw new TaskNotRunningError();
    return this.cfg.driver.taskStats(handle.taskID);
  }

  async exec(opts: ExecOptions): Promise<ExitResult> {
    const handle = this.handle;
    if (!handle || !this.cfg.driver) throw new TaskNotRunningError();
    return this.cfg.driver.execTask(handle.taskID, opts);
  }

  /** Adds an event (and what it implies: Failed, Restarts) and reports the change. */
  emitEvent(ev: TaskEvent): void {
    this.state = appendTaskEvent(this.state, ev);
    this.persistState();
    this.cfg.onStateChange(this);
  }

  // ---- the run loop ---------------------------------------------------------------------------

  private get killed(): boolean {
    return this.killCtl.signal.aborted;
  }
  private get shuttingDown(): boolean {
    return this.shutdownCtl.signal.aborted;
  }

  private shouldShutdown(): boolean {
    if (isClientTerminal(this.alloc.ClientStatus)) return true;
    return !this.isPoststop && isServerTerminal(this.alloc.DesiredStatus);
  }

  private async runLoop(): Promise<void> {
    // A task that finished before the agent restarted only gets its stop hooks.
    if (this.local.runComplete || (this.state.State === 'dead' && !this.recovered)) {
      await this.runStopHooks();
      return;
    }
    if (this.waitOnServers) {
      const r = await race(this.cfg.serversContacted, this.killCtl.signal, this.shutdownCtl.signal);
      if (r.kind === 'aborted' && r.index === 1) return;
    }
    for (;;) {
      if (this.killed || (!this.recovered && this.shouldShutdown())) break;
      if (!this.recovered) {
        const gate = await race(this.cfg.startGate, this.killCtl.signal, this.shutdownCtl.signal);
        if (gate.kind === 'aborted') {
          if (gate.index === 1) return;
          break;
        }
        const started = await this.startAttempt();
        if (this.shuttingDown) return;
        if (started) {
          const outcome = await this.waitForExit();
          if (outcome === 'shutdown') return;
        }
      } else {
        this.recovered = false;
        await this.runPoststart();
        const outcome = await this.waitForExit();
        if (outcome === 'shutdown') return;
      }
      const next = this.shouldRestart();
      if (!next.restart) break;
      const slept = await sleep(next.delayNs / 1e6, this.killCtl.signal, this.shutdownCtl.signal);
      if (slept === 'aborted') {
        if (this.shuttingDown) return;
        break;
      }
    }
    // Never leave a task behind once the runner is done with it.
    if (this.handle) {
      await this.stopTask();
      await this.clearHandle();
    }
    this.updateState('dead');
    this.local = { ...this.local, runComplete: true };
    this.persistLocal();
    await this.runStopHooks();
  }

  /** Prestart hooks, then the driver. Returns true when the task is running. */
  private async startAttempt(): Promise<boolean> {
    try {
      await this.runPrestart();
    } catch (err) {
      this.log.error('prestart failed', { alloc_id: this.alloc.ID, task: this.name, error: errorMessage(err) });
      this.tracker.setStartError({ message: errorMessage(err), recoverable: !(err instanceof UnrecoverableHookError) });
      return false;
    }
    if (this.killed || this.shuttingDown) return false;
    const err = await this.runDriver();
    if (err) {
      this.tracker.setStartError(err);
      return false;
    }
    await this.runPoststart();
    return true;
  }

  private hookContext(): TaskHookContext {
    return {
      alloc: this.alloc,
      task: this.task,
      allocDir: this.cfg.allocDir,
      taskDirs: this.taskDirs(),
      envBuilder: this.envBuilder,
      capabilities: this.cfg.driver?.capabilities() ?? null,
      hostEnv: this.cfg.hostEnv,
      resources: this.resources,
      logger: this.log,
      emitEvent: (ev) => this.emitEvent(ev),
      now: this.now,
      signal: AbortSignal.any([this.killCtl.signal, this.shutdownCtl.signal]),
      lifecycle: this.lifecycle,
    };
  }

  /** What hooks may do to the task (Nomad's TaskLifecycle); restart and signal are `alloc restart`'s and `alloc signal`'s paths. */
  private readonly lifecycle: TaskLifecycle = {
    restart: (ev, failure) => this.restartWith(ev, failure),
    signal: (ev, sig) => this.signalWith(ev, sig),
    exec: (opts) => this.exec(opts),
    kill: (ev) => {
      // Not awaited: kill() waits for the run loop, whose stop hooks may be waiting on the caller.
      void this.kill(ev).catch((err: unknown) => this.log.error('kill requested by a hook failed', { alloc_id: this.alloc.ID, task: this.name, error: errorMessage(err) }));
    },
    isRunning: () => this.handle !== null && this.state.State === 'running',
  };

  private async runPrestart(): Promise<void> {
    const ctx = this.hookContext();
    this.envBuilder.setNode(this.cfg.node());
    for (const h of this.hooks) {
      if (!h.prestart) continue;
      const prev = this.local.hooks[h.name] ?? {};
      if (prev['done'] === 'true') continue;
      try {
        const res = await h.prestart(ctx, prev);
        if (res && (res.done || res.state)) {
          this.local = { ...this.local, hooks: { ...this.local.hooks, [h.name]: { ...(res.state ?? {}), ...(res.done ? { done: 'true' } : {}) } } };
          this.persistLocal();
        }
      } catch (err) {
        // Unrecoverable and reported hook errors come with the hook's own event (Template / Failed Artifact Download / Setup Failure).
        if (!(err instanceof UnrecoverableHookError) && !(err instanceof ReportedHookError)) this.emitEvent(newTaskEvent(TaskEventType.HookFailed, this.now(), { Message: `${h.name}: ${errorMessage(err)}` }));
        throw err;
      }
    }
  }

  private async runPoststart(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    const ctx = this.hookContext();
    for (const h of this.hooks) {
      if (!h.poststart) continue;
      await h.poststart(ctx, handle).catch((err: unknown) => this.log.warn('poststart hook failed', { hook: h.name, error: errorMessage(err) }));
    }
  }

  private async runHooks(kind: 'preKill' | 'exited' | 'stop'): Promise<void> {
    const ctx = this.hookContext();
    for (const h of this.hooks) {
      const fn = h[kind];
      if (!fn) continue;
      await fn.call(h, ctx).catch((err: unknown) => this.log.warn(`${kind} hook failed`, { hook: h.name, error: errorMessage(err) }));
    }
  }

  private runStopHooks(): Promise<void> {
    return this.runHooks('stop');
  }

  killTimeoutMs(): number {
    return Math.min(this.task.KillTimeout / 1e6, this.cfg.maxKillTimeoutMs ?? DEFAULT_MAX_KILL_TIMEOUT_MS);
  }

  /** Builds the driver's TaskConfig from the finished environment (Nomad's buildTaskConfig). */
  private buildTaskConfig(): TaskConfig {
    const a = this.alloc;
    const env = this.envBuilder.build();
    const tr = a.AllocatedResources?.Tasks[this.name];
    const node = this.cfg.node();
    return {
      id: `${a.ID}/${this.name}/${randomBytes(4).toString('hex')}`,
      allocID: a.ID,
      name: this.name,
      jobID: a.JobID,
      jobName: a.Job?.Name ?? a.JobID,
      parentJobID: a.Job?.ParentID ?? '',
      taskGroup: a.TaskGroup,
      namespace: a.Namespace,
      nodeID: node.ID,
      nodeName: node.Name,
      env: { ...env.env },
      config: env.replaceDeep(this.task.Config ?? {}),
      resources: {
        cpuShares: tr?.Cpu.CpuShares ?? this.task.Resources.CPU,
        memoryMB: tr?.Memory.MemoryMB ?? this.task.Resources.MemoryMB,
        memoryMaxMB: tr?.Memory.MemoryMaxMB ?? this.task.Resources.MemoryMaxMB,
        reservedCores: tr?.Cpu.ReservedCores ?? [],
        ports: a.AllocatedResources?.Shared.Ports ?? [],
      },
      user: this.task.User,
      dirs: this.taskDirs(),
      logs: this.resources.logs ?? { maxFiles: DEFAULT_LOG_MAX_FILES, maxFileSizeMB: DEFAULT_LOG_MAX_FILE_SIZE_MB, disabled: false },
      killSignal: this.task.KillSignal,
      killTimeoutMs: this.killTimeoutMs(),
      events: (message) => this.emitEvent(newTaskEvent(TaskEventType.DriverMessage, this.now(), { DriverMessage: message })),
    };
  }

  /** Starts the task with the driver; returns the start error, if any (Nomad's runDriver). */
  private async runDriver(): Promise<StartError | null> {
    const driver = this.cfg.driver;
    if (!driver) {
      const msg = `failed to start task: driver ${JSON.stringify(this.task.Driver)} is not available on this node`;
      this.emitEvent(newTaskEvent(TaskEventType.DriverFailure, this.now(), { DriverError: msg }));
      return { message: msg, recoverable: false };
    }
    let cfg: TaskConfig;
    try {
      cfg = this.buildTaskConfig();
    } catch (err) {
      this.emitEvent(newTaskEvent(TaskEventType.SetupFailure, this.now(), { SetupError: errorMessage(err) }));
      return { message: errorMessage(err), recoverable: false };
    }
    const problems = driver.validateConfig(cfg.config);
    if (problems.length) {
      const msg = problems.join('; ');
      this.emitEvent(newTaskEvent(TaskEventType.FailedValidation, this.now(), { ValidationError: msg }));
      return { message: msg, recoverable: false };
    }
    let handle: TaskHandle;
    try {
      handle = await driver.startTask(cfg);
    } catch (err) {
      const msg = errorMessage(err);
      this.log.error('failed to start task', { alloc_id: this.alloc.ID, task: this.name, error: msg });
      this.emitEvent(newTaskEvent(TaskEventType.DriverFailure, this.now(), { DriverError: msg }));
      return { message: msg, recoverable: err instanceof DriverError ? err.recoverable : true };
    }
    this.handle = handle;
    this.taskConfig = cfg;
    this.local = { ...this.local, handle, taskConfig: cfg };
    this.persistLocal();
    this.updateState('running', newTaskEvent(TaskEventType.Started, this.now()));
    return null;
  }

  /** Waits for the task to exit or be killed; emits Terminated and records the result for the tracker. */
  private async waitForExit(): Promise<'exited' | 'shutdown'> {
    const handle = this.handle;
    const driver = this.cfg.driver;
    if (!handle || !driver) return 'exited';
    let result: ExitResult | null;
    const waited = await race(
      driver.waitTask(handle.taskID).catch((err: unknown): ExitResult => ({ exitCode: -1, signal: 0, oomKilled: false, error: errorMessage(err) })),
      this.killCtl.signal,
      this.shutdownCtl.signal,
    );
    if (waited.kind === 'aborted' && waited.index === 1) return 'shutdown';
    if (waited.kind === 'value') result = waited.value;
    else result = await this.handleKill(handle);
    if (result) this.emitExitEvent(result);
    await this.clearHandle();
    this.tracker.setExitResult(result);
    await this.runHooks('exited');
    return 'exited';
  }

  private emitExitEvent(r: ExitResult): void {
    this.emitEvent(newTaskEvent(TaskEventType.Terminated, this.now(), { ExitCode: r.exitCode, Signal: r.signal, Message: r.error ?? '', ...(r.oomKilled ? { Details: { oom_killed: 'true' } } : {}) }));
  }

  /** Kill path (Nomad's handleKill): preKill hooks, shutdown_delay, then the driver's stop within kill_timeout. */
  private async handleKill(handle: TaskHandle): Promise<ExitResult | null> {
    await this.runHooks('preKill');
    const delayMs = this.task.ShutdownDelay / 1e6;
    if (delayMs > 0) {
      if (this.cfg.noShutdownDelay?.()) {
        this.emitEvent(newTaskEvent(TaskEventType.SkippingShutdownDelay, this.now(), { Message: 'Skipping shutdown_delay' }));
      } else {
        this.emitEvent(newTaskEvent(TaskEventType.WaitingShuttingDownDelay, this.now(), { Message: `Waiting for shutdown_delay of ${this.task.ShutdownDelay / 1e9}s before killing the task.` }));
        await sleep(delayMs, this.shutdownDelayCtl.signal, this.shutdownCtl.signal);
      }
    }
    this.tracker.setKilled();
    await this.stopTask();
    const driver = this.cfg.driver;
    if (!driver) return null;
    return driver.waitTask(handle.taskID).catch((err: unknown): ExitResult => ({ exitCode: -1, signal: 0, oomKilled: false, error: errorMessage(err) }));
  }

  /** driver.stopTask with Nomad's retry backoff (5s·4^i, at most 2m, 5 tries). */
  private async stopTask(): Promise<void> {
    const handle = this.handle;
    const driver = this.cfg.driver;
    if (!handle || !driver) return;
    const base = this.cfg.killBackoffBaseMs ?? KILL_BACKOFF_BASE_MS;
    for (let i = 0; i < KILL_FAILURE_LIMIT; i++) {
      try {
        await driver.stopTask(handle.taskID, this.killTimeoutMs(), this.task.KillSignal);
        this.killError = '';
        return;
      } catch (err) {
        this.killError = errorMessage(err);
        this.log.warn('failed to kill task', { alloc_id: this.alloc.ID, task: this.name, attempt: i + 1, error: this.killError });
        if (i + 1 < KILL_FAILURE_LIMIT) await sleep(Math.min(base * 4 ** i, KILL_BACKOFF_LIMIT_MS), this.shutdownCtl.signal);
      }
    }
  }

  private async clearHandle(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    await this.cfg.driver?.destroyTask(handle.taskID, true).catch((err: unknown) => this.log.debug('destroy task failed', { error: errorMessage(err) }));
    this.handle = null;
    this.taskConfig = null;
    this.local = { ...this.local, handle: null, taskConfig: null };
    this.persistLocal();
  }

  /** Applies the restart tracker's decision and its events (Nomad's shouldRestart). */
  private shouldRestart(): { restart: boolean; delayNs: number } {
    const d = this.tracker.getState();
    switch (d.state) {
      case 'Killed':
        this.emitEvent(newTaskEvent(TaskEventType.Killed, this.now(), { KillError: this.killError }));
        return { restart: false, delayNs: 0 };
      case 'Not Restarting':
        this.log.info('not restarting task', { alloc_id: this.alloc.ID, task: this.name, reason: d.reason });
        this.updateState('dead', newTaskEvent(TaskEventType.NotRestarting, this.now(), { RestartReason: d.reason, FailsTask: true }));
        return { restart: false, delayNs: 0 };
      case 'Terminated':
        this.log.info('not restarting task', { alloc_id: this.alloc.ID, task: this.name, reason: d.reason });
        return { restart: false, delayNs: 0 };
      case 'Restarting':
        this.log.info('restarting task', { alloc_id: this.alloc.ID, task: this.name, reason: d.reason, delay_ms: d.delay / 1e6 });
        this.updateState('pending', newTaskEvent(TaskEventType.Restarting, this.now(), { StartDelay: d.delay, RestartReason: d.reason }));
        return { restart: true, delayNs: d.delay };
      case '':
        return { restart: true, delayNs: d.delay };
    }
  }

  private updateState(to: TaskStateName, ev?: TaskEvent): void {
    let s = this.state;
    if (ev) s = appendTaskEvent(s, ev);
    s = transitionTaskState(s, to, this.now());
    this.state = s;
    this.persistState();
    this.cfg.onStateChange(this);
  }

  private persistState(): void {
    try {
      this.cfg.db.putTaskState(this.alloc.ID, this.name, this.state);
    } catch (err) {
      this.log.error('failed to persist task state', { error: errorMessage(err) });
    }
  }

  private persistLocal(): void {
    try {
      this.cfg.db.putLocalState(this.alloc.ID, this.name, this.local);
    } catch (err) {
      this.log.error('failed to persist task local state', { error: errorMessage(err) });
    }
  }
}


// The raw_exec driver (Nomad's drivers/rawexec): runs a command on the host with no isolation,
// as the agent's user or the task's `user`, with host paths in its environment. Each task runs
// under its own roam-executor shim (native/roam-executor.c), which owns the task process, its
// log rotation and its exit status, so tasks keep running — same PIDs, same log files — while the
// agent is down, and recoverTask re-attaches from the persisted handle. Disabled unless the
// plugin config says `enabled = true` (the agent sets it for -dev and driver.raw_exec.enable).
// Must never kill a task it did not start, so every signal is guarded by the start time.
import fs from 'node:fs';
import type { Logger } from '../../structs/logger.js';
import type {
  DriverCapabilities,
  DriverFactory,
  ExecOptions,
  ExitResult,
  Fingerprint,
  ResourceUsage,
  TaskConfig,
  TaskDriver,
  TaskHandle,
  TaskStatus,
} from '../driver.js';
import { DriverError } from '../driver.js';
import { runExec } from '../shared/exec.js';
import { executorPath, launchExecutor, parseExecutorState, readExitFile } from '../shared/executor-client.js';
import type { ExecutorState } from '../shared/executor-client.js';
import { ExitWatcher } from '../shared/exit-watcher.js';
import type { WatchedExit } from '../shared/exit-watcher.js';
import { lookupBin } from '../shared/lookup-bin.js';
import { isSameProcessAlive, readProcStat } from '../shared/proc.js';
import { emptyUsage, ProcessTreeSampler } from '../shared/proc-stats.js';
import { parseSignal, signalGroup } from '../shared/signals.js';
import { sleep, within } from '../shared/timing.js';
import type { HostSignal } from '../shared/signals.js';
import { currentUser, groupIDs, lookupUser } from '../shared/users.js';
import type { HostUser } from '../shared/users.js';
import { filterEnv, inRanges, parsePluginConfig, parseTaskConfig, validateTaskConfig } from './config.js';
import type { PluginConfig } from './config.js';

export const RAW_EXEC = 'raw_exec';
/** Nomad's executor stops a task with SIGINT unless the task's kill_signal says otherwise. */
const DEFAULT_KILL_SIGNAL = 'SIGINT';
/** How long to wait for a task to go after SIGKILL before reporting a failure. */
const AFTER_SIGKILL_MS = 5000;

/** Files the shim writes into the task dir (see native/roam-executor.c). */
export const STATE_FILE = '.roam-executor.json';
export const EXIT_FILE = '.roam-exit.json';

interface Tracked {
  cfg: TaskConfig;
  state: ExecutorState;
  user: HostUser;
  workDir: string;
  env: Record<string, string>;
  startedAt: number;
  completedAt: number;
  result: ExitResult | null;
  exited: Promise<ExitResult>;
  settle: (r: ExitResult) => void;
  sampler: ProcessTreeSampler;
  /** We sent SIGKILL ourselves, so a SIGKILL death is not the OOM killer's. */
  killedByUs: boolean;
  /** For a shim we started (not recovered): resolves once it has exited and been reaped. */
  executorExited: Promise<void> | undefined;
}

export class RawExecDriver implements TaskDriver {
  readonly name = RAW_EXEC;
  private readonly config: PluginConfig;
  private readonly tasks = new Map<string, Tracked>();
  private readonly watcher = new ExitWatcher();

  constructor(pluginConfig: Record<string, unknown>, private readonly logger: Logger) {
    try {
      this.config = parsePluginConfig(pluginConfig);
    } catch (e) {
      throw new DriverError(`invalid raw_exec plugin config: ${e instanceof Error ? e.message : String(e)}`, false);
    }
  }

  capabilities(): DriverCapabilities {
    return { sendSignals: true, exec: true, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'none' };
  }

  fingerprint(): Promise<Fingerprint> {
    if (!this.config.enabled) return Promise.resolve({ health: 'undetected', healthDescription: 'disabled', attributes: {} });
    try {
      executorPath();
    } catch (e) {
      return Promise.resolve({ health: 'unhealthy', healthDescription: (e as Error).message, attributes: {} });
    }
    return Promise.resolve({ health: 'healthy', healthDescription: 'Healthy', attributes: { [`driver.${RAW_EXEC}`]: '1' } });
  }

  validateConfig(config: Record<string, unknown>): string[] {
    return validateTaskConfig(config);
  }

  async startTask(cfg: TaskConfig): Promise<TaskHandle> {
    if (!this.config.enabled) throw new DriverError('raw_exec is disabled', false);
    if (this.tasks.has(cfg.id)) throw new DriverError(`task with ID ${JSON.stringify(cfg.id)} already started`, false);
    const errs = validateTaskConfig(cfg.config);
    if (errs.length > 0) throw new DriverError(errs.join('; '), false);
    const tc = parseTaskConfig(cfg.config);
    const user = this.taskUser(cfg);
    const env = filterEnv(filterEnv(cfg.env, this.config.deniedEnvvars), tc.deniedEnvvars);
    const command = lookupBin(tc.command, cfg.dirs.dir, env.PATH ?? process.env.PATH);
    const workDir = tc.workDir ?? cfg.dirs.dir;
    const launched = await launchExecutor({
      command,
      args: tc.args,
      env,
      workDir,
      ...(cfg.user ? { user: cfg.user } : {}),
      ...(tc.oomScoreAdj !== undefined ? { oomScoreAdj: tc.oomScoreAdj } : {}),
      stateFile: `${cfg.dirs.dir}/${STATE_FILE}`,
      exitFile: `${cfg.dirs.dir}/${EXIT_FILE}`,
      ...(cfg.logs.disabled ? {} : { logs: { dir: cfg.dirs.logDir, task: cfg.name, maxFiles: cfg.logs.maxFiles, maxFileSizeMB: cfg.logs.maxFileSizeMB } }),
    });
    const startedAt = Date.now();
    const t = this.track(cfg, launched.state, user, workDir, env, startedAt);
    t.executorExited = launched.executorExited;
    this.logger.debug('started task', { task_id: cfg.id, pid: launched.state.taskPid, executor_pid: launched.state.executorPid });
    this.watcher.watch(cfg.id, launched.state, (w) => this.onExit(t, w), launched.child);
    if (launched.exitedAlready) this.watcher.check(cfg.id);
    return { version: 1, driver: RAW_EXEC, taskID: cfg.id, state: { ...launched.state }, startedAt };
  }

  async recoverTask(handle: TaskHandle, cfg: TaskConfig): Promise<void> {
    if (this.tasks.has(handle.taskID)) return;
    if (handle.driver !== RAW_EXEC) throw new DriverError(`task handle is for driver ${JSON.stringify(handle.driver)}, not raw_exec`, false);
    const state = parseExecutorState(handle.state);
    const tc = parseTaskConfig(cfg.config);
    const env = filterEnv(filterEnv(cfg.env, this.config.deniedEnvvars), tc.deniedEnvvars);
    const user = this.taskUser(cfg);
    const exit = readExitFile(state);
    const taskAlive = isSameProcessAlive(state.taskPid, state.taskStartTicks);
    if (!exit && !taskAlive && !isSameProcessAlive(state.executorPid, state.executorStartTicks)) {
      throw new DriverError(`failed to recover task ${handle.taskID}: process ${state.taskPid} is gone and its executor left no exit status`, false);
    }
    const t = this.track(cfg, state, user, tc.workDir ?? cfg.dirs.dir, env, handle.startedAt);
    this.watcher.watch(handle.taskID, state, (w) => this.onExit(t, w));
    this.logger.debug('recovered task', { task_id: handle.taskID, pid: state.taskPid, exited: !taskAlive });
  }

  async waitTask(taskID: string): Promise<ExitResult> {
    return this.get(taskID).exited;
  }

  async stopTask(taskID: string, timeoutMs: number, signal: string): Promise<void> {
    const t = this.get(taskID);
    if (t.result) return;
    const sig = parseSignal(signal || t.cfg.killSignal || DEFAULT_KILL_SIGNAL);
    this.signalTree(t, sig);
    if (await within(t.exited, Math.max(0, timeoutMs))) return;
    this.logger.debug('task did not stop in time; sending SIGKILL', { task_id: taskID, timeout_ms: timeoutMs });
    t.killedByUs = true;
    this.signalTree(t, 'SIGKILL');
    if (!(await within(t.exited, AFTER_SIGKILL_MS))) throw new DriverError(`task ${taskID} (pid ${t.state.taskPid}) did not exit after SIGKILL`);
  }

  /** Forgets the task; unknown IDs are ignored, so the client may call it more than once. */
  async destroyTask(taskID: string, force: boolean): Promise<void> {
    const t = this.tasks.get(taskID);
    if (!t) return;
    if (!t.result) {
      if (!force) throw new DriverError(`cannot destroy running task ${taskID}; stop it first or force`, false);
      t.killedByUs = true;
      this.signalTree(t, 'SIGKILL');
      await within(t.exited, AFTER_SIGKILL_MS);
    }
    // Processes the task left behind in its group go with it (raw_exec has no cgroup to empty).
    this.signalTree(t, 'SIGKILL');
    this.watcher.unwatch(taskID);
    this.tasks.delete(taskID);
    for (const f of [t.state.stateFile, t.state.exitFile]) fs.rmSync(f, { force: true });
    // The shim leaves once the task's pipes close; wait for it, so that it is reaped by us
    // rather than left to a PID 1 that may never reap it.
    await this.executorGone(t, AFTER_SIGKILL_MS);
  }

  private async executorGone(t: Tracked, ms: number): Promise<void> {
    if (t.executorExited) {
      await within(t.executorExited, ms);
      return;
    }
    const deadline = Date.now() + ms;
    while (isSameProcessAlive(t.state.executorPid, t.state.executorStartTicks) && Date.now() < deadline) {
      await sleep(50);
    }
  }

  inspectTask(taskID: string): TaskStatus {
    const t = this.get(taskID);
    return {
      id: taskID,
      name: t.cfg.name,
      state: t.result ? 'exited' : 'running',
      startedAt: t.startedAt,
      completedAt: t.completedAt,
      exitResult: t.result,
      driverAttributes: { pid: String(t.state.taskPid), executor_pid: String(t.state.executorPid) },
    };
  }

  async taskStats(taskID: string): Promise<ResourceUsage> {
    const t = this.get(taskID);
    return t.result ? emptyUsage() : t.sampler.sample();
  }

  async signalTask(taskID: string, signal: string): Promise<void> {
    const t = this.get(taskID);
    if (t.result) throw new DriverError(`task ${taskID} is not running`, false);
    this.signalTree(t, parseSignal(signal));
  }

  async execTask(taskID: string, opts: ExecOptions): Promise<ExitResult> {
    const t = this.get(taskID);
    if (t.result) throw new DriverError(`task ${taskID} is not running`, false);
    const ids = t.cfg.user ? { uid: t.user.uid, gid: t.user.gid } : {};
    return runExec({ cwd: t.workDir, env: t.env, ...ids }, opts);
  }

  shutdown(): Promise<void> {
    this.watcher.stop();
    this.tasks.clear();
    return Promise.resolve();
  }

  private get(taskID: string): Tracked {
    const t = this.tasks.get(taskID);
    if (!t) throw new DriverError(`unknown task ${JSON.stringify(taskID)}`, false);
    return t;
  }

  private track(cfg: TaskConfig, state: ExecutorState, user: HostUser, workDir: string, env: Record<string, string>, startedAt: number): Tracked {
    let settle: (r: ExitResult) => void = () => undefined;
    const exited = new Promise<ExitResult>((r) => (settle = r));
    const t: Tracked = {
      cfg,
      state,
      user,
      workDir,
      env,
      startedAt,
      completedAt: 0,
      result: null,
      exited,
      settle,
      sampler: new ProcessTreeSampler(state.taskPid, state.pgid),
      killedByUs: false,
      executorExited: undefined,
    };
    this.tasks.set(cfg.id, t);
    return t;
  }

  private onExit(t: Tracked, w: WatchedExit): void {
    const result: ExitResult = { exitCode: w.exitCode, signal: w.signal, oomKilled: w.oomKilled && !t.killedByUs };
    if (w.error) result.error = w.error;
    t.result = result;
    t.completedAt = w.completedAt;
    this.logger.debug('task exited', { task_id: t.cfg.id, exit_code: w.exitCode, signal: w.signal });
    t.settle(result);
  }

  /**
   * Signals the task's process group, but only while it is provably ours: its leader is alive
   * with the start time we recorded, or the leader is gone (a PID still used as a process group
   * ID is never handed out again, so members left behind are the task's).
   */
  private signalTree(t: Tracked, sig: HostSignal | 'SIGKILL'): void {
    const leader = readProcStat(t.state.pgid);
    const ours = leader === undefined || leader.startTicks === t.state.taskStartTicks;
    if (!ours) return;
    try {
      signalGroup(t.state.pgid, sig);
    } catch (e) {
      throw new DriverError(`failed to signal task ${t.cfg.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The user the task runs as, checked against the plugin's denied UIDs and GIDs. */
  private taskUser(cfg: TaskConfig): HostUser {
    const user = cfg.user ? lookupUser(cfg.user) : currentUser();
    if (!user) throw new DriverError(`failed to look up user ${JSON.stringify(cfg.user)}: no such user`, false);
    if (inRanges(user.uid, this.config.deniedHostUids)) {
      throw new DriverError(`running as uid ${user.uid} (${user.name}) is disallowed by the raw_exec plugin config (denied_host_uids)`, false);
    }
    for (const gid of groupIDs(user)) {
      if (inRanges(gid, this.config.deniedHostGids)) {
        throw new DriverError(`running as gid ${gid} (a group of ${user.name}) is disallowed by the raw_exec plugin config (denied_host_gids)`, false);
      }
    }
    return user;
  }
}

export const rawExecDriverFactory: DriverFactory = (pluginConfig, logger) => new RawExecDriver(pluginConfig, logger.named(RAW_EXEC));

// An in-memory task driver for the client's tests: tasks are timers configured from the task's
// `config` block (run_for_ms, exit_code, signal, start_error, start_error_recoverable). The same
// instance outlives a client, so a test can "restart the agent" and check that the new client
// re-attaches instead of starting a task twice. Not a real driver: src/agent never wires it.
import { DriverError, type DriverCapabilities, type ExecOptions, type ExitResult, type Fingerprint, type ResourceUsage, type TaskConfig, type TaskDriver, type TaskHandle, type TaskStatus } from '../../drivers/driver.js';

interface FakeTask {
  cfg: TaskConfig;
  pid: number;
  startedAt: number;
  result: ExitResult | null;
  exited: Promise<ExitResult>;
  finish: (r: ExitResult) => void;
  timer: NodeJS.Timeout | undefined;
}

let nextPid = 1000;

export class FakeDriver implements TaskDriver {
  readonly name: string;
  readonly tasks = new Map<string, FakeTask>();
  readonly started: TaskConfig[] = [];
  readonly stopped: { taskID: string; timeoutMs: number; signal: string; at: number }[] = [];
  readonly signals: { taskID: string; signal: string }[] = [];
  health: Fingerprint = { health: 'healthy', healthDescription: 'Healthy', attributes: {} };
  /** Makes recoverTask fail (the task cannot be re-attached). */
  failRecover = false;

  constructor(name = 'fake') {
    this.name = name;
    this.health = { health: 'healthy', healthDescription: 'Healthy', attributes: { [`driver.${name}`]: 'true', [`driver.${name}.version`]: '1.0' } };
  }

  capabilities(): DriverCapabilities {
    return { sendSignals: true, exec: false, fsIsolation: 'none', netIsolationModes: ['host'], mustInitiateNetwork: false, mountConfigs: 'none' };
  }

  fingerprint(): Promise<Fingerprint> {
    return Promise.resolve(this.health);
  }

  validateConfig(config: Record<string, unknown>): string[] {
    const known = new Set(['run_for_ms', 'exit_code', 'signal', 'start_error', 'start_error_recoverable', 'echo']);
    return Object.keys(config)
      .filter((k) => !known.has(k))
      .map((k) => `unknown option ${JSON.stringify(k)}`);
  }

  startTask(cfg: TaskConfig): Promise<TaskHandle> {
    const c = cfg.config;
    if (typeof c['start_error'] === 'string') return Promise.reject(new DriverError(c['start_error'], c['start_error_recoverable'] !== false));
    this.started.push(cfg);
    let finish: (r: ExitResult) => void = () => undefined;
    const exited = new Promise<ExitResult>((r) => (finish = r));
    const t: FakeTask = { cfg, pid: nextPid++, startedAt: Date.now(), result: null, exited, finish, timer: undefined };
    t.finish = (r) => {
      if (t.result) return;
      if (t.timer) clearTimeout(t.timer);
      t.result = r;
      finish(r);
    };
    const runFor = typeof c['run_for_ms'] === 'number' ? c['run_for_ms'] : -1;
    if (runFor >= 0) t.timer = setTimeout(() => t.finish({ exitCode: Number(c['exit_code'] ?? 0), signal: Number(c['signal'] ?? 0), oomKilled: false }), runFor);
    this.tasks.set(cfg.id, t);
    return Promise.resolve({ version: 1, driver: this.name, taskID: cfg.id, state: { pid: t.pid }, startedAt: t.startedAt });
  }

  recoverTask(handle: TaskHandle): Promise<void> {
    if (this.failRecover || !this.tasks.has(handle.taskID)) return Promise.reject(new Error(`task ${handle.taskID} not found`));
    return Promise.resolve();
  }

  waitTask(taskID: string): Promise<ExitResult> {
    const t = this.tasks.get(taskID);
    if (!t) return Promise.reject(new Error(`task ${taskID} not found`));
    return t.exited;
  }

  stopTask(taskID: string, timeoutMs: number, signal: string): Promise<void> {
    this.stopped.push({ taskID, timeoutMs, signal, at: Date.now() });
    this.tasks.get(taskID)?.finish({ exitCode: 130, signal: 2, oomKilled: false });
    return Promise.resolve();
  }

  destroyTask(taskID: string, force: boolean): Promise<void> {
    const t = this.tasks.get(taskID);
    if (t && !t.result && !force) return Promise.reject(new Error('task is running'));
    t?.finish({ exitCode: 137, signal: 9, oomKilled: false });
    this.tasks.delete(taskID);
    return Promise.resolve();
  }

  inspectTask(taskID: string): TaskStatus {
    const t = this.tasks.get(taskID);
    if (!t) throw new Error(`task ${taskID} not found`);
    return { id: taskID, name: t.cfg.name, state: t.result ? 'exited' : 'running', startedAt: t.startedAt, completedAt: 0, exitResult: t.result, driverAttributes: {} };
  }

  taskStats(): Promise<ResourceUsage> {
    return Promise.reject(new Error('no stats'));
  }

  signalTask(taskID: string, signal: string): Promise<void> {
    this.signals.push({ taskID, signal });
    return Promise.resolve();
  }

  execTask(_taskID: string, _opts: ExecOptions): Promise<ExitResult> {
    return Promise.reject(new Error('exec not supported'));
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Ends a running task as if it exited by itself ("kill -9" from outside). */
  exitTask(taskName: string, r: ExitResult): void {
    for (const t of this.tasks.values()) if (t.cfg.name === taskName && !t.result) t.finish(r);
  }

  running(): FakeTask[] {
    return [...this.tasks.values()].filter((t) => !t.result);
  }

  /** Stops all timers (test teardown). */
  close(): void {
    for (const t of this.tasks.values()) if (t.timer) clearTimeout(t.timer);
  }
}

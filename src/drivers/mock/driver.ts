// The mock driver (Nomad's drivers/mock, name "mock_driver"): tasks are timers in this process,
// configured from the task's `config` block — how long they run (run_for), how they end
// (exit_code, exit_signal, exit_err_msg), what they print (stdout_string, stdout_repeat,
// stdout_repeat_duration) and which calls fail (start_error, signal_error). Scheduler and client
// tests and simulations use it to run many "tasks" without processes.
//
// Recovery works within one process only: running tasks live in a module-level registry, so a
// new driver instance (an agent restarted in the same process, as simulations do) re-attaches to
// them, but nothing survives the process itself. Output goes to <logDir>/<task>.stdout.0 without
// rotation. Exec is not supported (capabilities().exec is false).
import fs from 'node:fs';
import path from 'node:path';
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
import { checkConfig } from '../shared/config-schema.js';
import { emptyUsage } from '../shared/proc-stats.js';
import { parseSignal } from '../shared/signals.js';
import type { MockTaskConfig } from './config.js';
import { MOCK_PLUGIN_SCHEMA, parseMockConfig, validateMockConfig } from './config.js';

export const MOCK_DRIVER = 'mock_driver';

interface MockTask {
  cfg: TaskConfig;
  mc: MockTaskConfig;
  startedAt: number;
  completedAt: number;
  result: ExitResult | null;
  exited: Promise<ExitResult>;
  settle: (r: ExitResult) => void;
  timers: Set<NodeJS.Timeout>;
  /** Signals delivered by signalTask, newest last (for tests). */
  signals: string[];
}

/** Every mock task of this process, shared by all driver instances (see the header). */
const registry = new Map<string, MockTask>();

function later(task: MockTask, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    task.timers.delete(t);
    fn();
  }, ms);
  task.timers.add(t);
}

function finish(task: MockTask): void {
  if (task.result) return;
  for (const t of task.timers) clearTimeout(t);
  task.timers.clear();
  const r: ExitResult = { exitCode: task.mc.exitCode, signal: task.mc.exitSignal, oomKilled: false };
  if (task.mc.exitErrMsg) r.error = task.mc.exitErrMsg;
  task.result = r;
  task.completedAt = Date.now();
  task.settle(r);
}

function writeStdout(task: MockTask, text: string): void {
  if (task.cfg.logs.disabled || text === '') return;
  try {
    fs.appendFileSync(path.join(task.cfg.dirs.logDir, `${task.cfg.name}.stdout.0`), text);
  } catch {
    // a missing log dir is the test's business; the mock task runs on
  }
}

/** stdout_string once, then stdout_repeat more times every stdout_repeat_duration. */
function startOutput(task: MockTask): void {
  const { stdoutString: s, stdoutRepeat: n, stdoutRepeatMs: every } = task.mc;
  if (every <= 0) {
    writeStdout(task, s.repeat(n + 1));
    return;
  }
  writeStdout(task, s);
  let left = n;
  const next = (): void => {
    if (task.result || left <= 0) return;
    left--;
    writeStdout(task, s);
    later(task, every, next);
  };
  later(task, every, next);
}

export class MockDriver implements TaskDriver {
  readonly name = MOCK_DRIVER;
  /** Tasks this instance started or recovered. */
  private readonly mine = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(pluginConfig: Record<string, unknown>, private readonly logger: Logger) {
    const errs = checkConfig('mock_driver plugin', pluginConfig, MOCK_PLUGIN_SCHEMA);
    if (errs.length > 0) throw new DriverError(`invalid mock_driver plugin config: ${errs.join('; ')}`, false);
  }

  capabilities(): DriverCapabilities {
    return { sendSignals: true, exec: false, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'all' };
  }

  fingerprint(): Promise<Fingerprint> {
    return Promise.resolve({ health: 'healthy', healthDescription: 'Healthy', attributes: { [`driver.${MOCK_DRIVER}`]: '1' } });
  }

  validateConfig(config: Record<string, unknown>): string[] {
    return validateMockConfig(config);
  }

  async startTask(cfg: TaskConfig): Promise<TaskHandle> {
    const errs = validateMockConfig(cfg.config);
    if (errs.length > 0) throw new DriverError(errs.join('; '), false);
    const mc = parseMockConfig(cfg.config);
    if (mc.startBlockForMs > 0) await this.sleep(mc.startBlockForMs);
    if (mc.startError) throw new DriverError(mc.startError, mc.startErrorRecoverable);
    if (registry.has(cfg.id)) throw new DriverError(`task with ID ${JSON.stringify(cfg.id)} already started`, false);
    let settle: (r: ExitResult) => void = () => undefined;
    const exited = new Promise<ExitResult>((r) => (settle = r));
    const task: MockTask = { cfg, mc, startedAt: Date.now(), completedAt: 0, result: null, exited, settle, timers: new Set(), signals: [] };
    registry.set(cfg.id, task);
    this.mine.add(cfg.id);
    startOutput(task);
    later(task, mc.runForMs, () => finish(task));
    this.logger.debug('started mock task', { task_id: cfg.id, run_for_ms: mc.runForMs });
    return { version: 1, driver: MOCK_DRIVER, taskID: cfg.id, state: { taskID: cfg.id }, startedAt: task.startedAt };
  }

  async recoverTask(handle: TaskHandle, _cfg: TaskConfig): Promise<void> {
    if (handle.driver !== MOCK_DRIVER) throw new DriverError(`task handle is for driver ${JSON.stringify(handle.driver)}, not ${MOCK_DRIVER}`, false);
    if (!registry.has(handle.taskID)) {
      throw new DriverError(`failed to recover task ${handle.taskID}: mock tasks live only in the process that started them`, false);
    }
    this.mine.add(handle.taskID);
  }

  async waitTask(taskID: string): Promise<ExitResult> {
    return this.get(taskID).exited;
  }

  /** As Nomad's mock: waits kill_after (or until the task ends by itself), then ends it. */
  async stopTask(taskID: string, _timeoutMs: number, signal: string): Promise<void> {
    const task = this.get(taskID);
    if (signal) parseSignal(signal);
    if (task.result) return;
    if (task.mc.killAfterMs > 0) await Promise.race([task.exited, this.sleep(task.mc.killAfterMs)]);
    finish(task);
  }

  /** Forgets the task; unknown IDs are ignored, so the client may call it more than once. */
  async destroyTask(taskID: string, force: boolean): Promise<void> {
    const task = registry.get(taskID);
    if (!task || !this.mine.has(taskID)) return;
    if (!task.result && !force) throw new DriverError(`cannot destroy running task ${taskID}; stop it first or force`, false);
    finish(task);
    registry.delete(taskID);
    this.mine.delete(taskID);
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
      driverAttributes: {},
    };
  }

  /** A fixed figure (half the task's memory), so simulations have something to show. */
  async taskStats(taskID: string): Promise<ResourceUsage> {
    const t = this.get(taskID);
    const u = emptyUsage();
    if (!t.result) {
      u.MemoryStats.RSS = Math.round((t.cfg.resources.memoryMB * 1024 * 1024) / 2);
      u.MemoryStats.Measured = ['RSS'];
    }
    return u;
  }

  async signalTask(taskID: string, signal: string): Promise<void> {
    const t = this.get(taskID);
    if (t.mc.signalError) throw new DriverError(t.mc.signalError);
    if (t.result) throw new DriverError(`task ${taskID} is not running`, false);
    t.signals.push(parseSignal(signal).name);
  }

  async execTask(_taskID: string, _opts: ExecOptions): Promise<ExitResult> {
    throw new DriverError('the mock driver does not support exec', false);
  }

  /** Signals delivered to a task so far (tests assert on them). */
  deliveredSignals(taskID: string): string[] {
    return [...this.get(taskID).signals];
  }

  shutdown(): Promise<void> {
    this.stopping.abort();
    this.mine.clear();
    return Promise.resolve();
  }

  private get(taskID: string): MockTask {
    const t = this.mine.has(taskID) ? registry.get(taskID) : undefined;
    if (!t) throw new DriverError(`unknown task ${JSON.stringify(taskID)}`, false);
    return t;
  }

  /** A pause that ends early (rejecting) when the driver shuts down. */
  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new DriverError('mock driver is shutting down'));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new DriverError('mock driver is shutting down'));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export const mockDriverFactory: DriverFactory = (pluginConfig, logger) => new MockDriver(pluginConfig, logger.named(MOCK_DRIVER));

// The docker driver (Nomad's drivers/docker) on the Docker Engine API. A task is a container
// named `<task>-<allocID>` built from the task's image (used as is when present locally with a
// non-`latest` tag, pulled otherwise, as Nomad does), with the alloc, local and secrets dirs bind
// mounted and the group's ports published. Output is followed by a logger process per task
// (logger-main.ts, under the roam-executor shim) into the alloc's rotated log files. Containers
// outlive the agent: recoverTask re-attaches by container ID, and containers labelled for this
// node that no task owns are removed after a grace period (the dangling-container reaper).
import fs from 'node:fs';
import type { Logger } from '../../structs/logger.js';
import { parseGoTime } from '../../structs/time.js';
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
import { isSameProcessAlive } from '../shared/proc.js';
import { cpuMHzPerCore, emptyUsage } from '../shared/proc-stats.js';
import { parseSignal, signalGroup } from '../shared/signals.js';
import { sleep, within } from '../shared/timing.js';
import type { ExecutorState } from '../shared/executor-client.js';
import { DockerApiError, DockerClient, parseEndpoint } from './api.js';
import { parsePluginConfig, parseTaskConfig, validateTaskConfig } from './config.js';
import type { DockerTaskConfig, PluginConfig } from './config.js';
import { buildContainerSpec, LABEL_ALLOC_ID, LABEL_NODE_ID } from './container.js';
import { execInContainer } from './exec.js';
import { ensureImage } from './image.js';
import { runningLogger, startLogger } from './logger.js';
import { toResourceUsage } from './stats.js';
import type { CpuSample } from './stats.js';

export const DOCKER = 'docker';
const AFTER_KILL_MS = 10_000;
const FINGERPRINT_TIMEOUT_MS = 3000;

interface ContainerState {
  Status?: string;
  Running?: boolean;
  Pid?: number;
  ExitCode?: number;
  OOMKilled?: boolean;
  Error?: string;
  StartedAt?: string;
  FinishedAt?: string;
}

interface ContainerInspect {
  Id: string;
  Created?: string;
  State?: ContainerState;
  Config?: { Tty?: boolean; Labels?: Record<string, string> };
}

interface Tracked {
  cfg: TaskConfig;
  containerID: string;
  tty: boolean;
  pid: number;
  startedAt: number;
  completedAt: number;
  result: ExitResult | null;
  exited: Promise<ExitResult>;
  settle: (r: ExitResult) => void;
  logger: ExecutorState | undefined;
  cpu: CpuSample;
  waitAbort: AbortController;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class DockerDriver implements TaskDriver {
  readonly name = DOCKER;
  private readonly config: PluginConfig;
  private readonly client: DockerClient;
  private readonly tasks = new Map<string, Tracked>();
  private detectedBefore = false;
  private nodeID = '';
  private reaper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(pluginConfig: Record<string, unknown>, private readonly logger: Logger) {
    try {
      this.config = parsePluginConfig(pluginConfig);
      this.client = new DockerClient(parseEndpoint(this.config.endpoint));
    } catch (e) {
      throw new DriverError(`invalid docker plugin config: ${message(e)}`, false);
    }
  }

  capabilities(): DriverCapabilities {
    return { sendSignals: true, exec: true, fsIsolation: 'image', netIsolationModes: ['host', 'group', 'task'], mustInitiateNetwork: false, mountConfigs: 'all' };
  }

  /** Called by the client once it knows its node ID: starts the dangling-container reaper for this node. */
  init(ctx: { nodeID: string }): void {
    this.nodeID = ctx.nodeID;
    const d = this.config.gc.dangling;
    if (!d.enabled || this.reaper || this.closed) return;
    this.reaper = setInterval(() => void this.reapDangling().catch((e: unknown) => this.logger.warn('dangling container reaper failed', { error: message(e) })), d.periodMs);
    this.reaper.unref();
  }

  async fingerprint(): Promise<Fingerprint> {
    let version: { Version?: string; Os?: string };
    let info: { Runtimes?: Record<string, unknown> };
    try {
      version = await this.client.json('/version', { timeoutMs: FINGERPRINT_TIMEOUT_MS });
      info = await this.client.json('/info', { timeoutMs: FINGERPRINT_TIMEOUT_MS });
    } catch (e) {
      this.logger.debug('could not connect to docker daemon', { error: message(e) });
      return { health: this.detectedBefore ? 'unhealthy' : 'undetected', healthDescription: 'Failed to connect to docker daemon', attributes: {} };
    }
    this.detectedBefore = true;
    const attributes: Record<string, string> = {
      [`driver.${DOCKER}`]: '1',
      'driver.docker.version': version.Version ?? '',
      'driver.docker.os_type': version.Os ?? 'linux',
      'driver.docker.runtimes': Object.keys(info.Runtimes ?? {}).sort().join(','),
      'driver.docker.volumes.enabled': String(this.config.volumesEnabled),
    };
    if (this.config.allowPrivileged) attributes['driver.docker.privileged.enabled'] = 'true';
    if (this.config.pidsLimit) attributes['driver.docker.pids.limit'] = String(this.config.pidsLimit);
    try {
      const bridge = await this.client.json<{ IPAM?: { Config?: { Gateway?: string }[] } }>('/networks/bridge', { timeoutMs: FINGERPRINT_TIMEOUT_MS });
      const gw = bridge.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
      if (gw) attributes['driver.docker.bridge_ip'] = gw;
    } catch {
      // no default bridge (dockerd --bridge=none)
    }
    return { health: 'healthy', healthDescription: 'Healthy', attributes };
  }

  validateConfig(config: Record<string, unknown>): string[] {
    return validateTaskConfig(config);
  }

  async startTask(cfg: TaskConfig): Promise<TaskHandle> {
    if (this.tasks.has(cfg.id)) throw new DriverError(`task with ID ${JSON.stringify(cfg.id)} already started`, false);
    const errs = validateTaskConfig(cfg.config);
    if (errs.length > 0) throw new DriverError(errs.join('; '), false);
    const tc = parseTaskConfig(cfg.config);
    const spec = buildContainerSpec(cfg, tc, this.config, cpuMHzPerCore());
    await ensureImage(this.client, tc, this.config, this.authConfigFile(), (m) => cfg.events?.(m), this.logger);
    const containerID = await this.createContainer(spec.name, spec.body, tc);
    try {
      await this.client.json(`/containers/${containerID}/start`, { method: 'POST' });
    } catch (e) {
      await this.removeContainer(containerID);
      throw new DriverError(`Failed to start container ${spec.name}: ${message(e)}`, !(e instanceof DockerApiError && e.statusCode < 500 && e.statusCode !== 409) && !/no such file|not found|permission denied/i.test(message(e)));
    }
    const ins = await this.inspect(containerID);
    const startedAt = parseGoTime(ins?.State?.StartedAt) || Date.now();
    const t = this.track(cfg, containerID, tc.tty, ins?.State?.Pid ?? 0, startedAt);
    if (!cfg.logs.disabled && !this.config.disableLogCollection) {
      try {
        t.logger = await startLogger(cfg, this.config.endpoint, containerID, 0, tc.tty);
      } catch (e) {
        this.logger.warn('failed to start the docker logger; the task runs without log collection', { task_id: cfg.id, error: message(e) });
      }
    }
    this.watch(t, ins);
    this.logger.debug('started container', { task_id: cfg.id, container_id: containerID, pid: t.pid });
    return { version: 1, driver: DOCKER, taskID: cfg.id, state: this.handleState(t), startedAt };
  }

  async recoverTask(handle: TaskHandle, cfg: TaskConfig): Promise<void> {
    if (this.tasks.has(handle.taskID)) return;
    if (handle.driver !== DOCKER) throw new DriverError(`task handle is for driver ${JSON.stringify(handle.driver)}, not docker`, false);
    const containerID = handle.state.containerID;
    if (typeof containerID !== 'string' || containerID === '') throw new DriverError('invalid task handle: no container ID', false);
    const ins = await this.inspect(containerID);
    if (!ins) throw new DriverError(`failed to recover task ${handle.taskID}: container ${containerID.slice(0, 12)} no longer exists`, false);
    const t = this.track(cfg, containerID, handle.state.tty === true, ins.State?.Pid ?? 0, handle.startedAt);
    const logger = handle.state.logger as ExecutorState | undefined;
    if (logger && isSameProcessAlive(logger.executorPid, logger.executorStartTicks)) t.logger = logger;
    else if ((t.logger = runningLogger(cfg))) {
      // a logger started by an earlier recovery still runs
    } else if (ins.State?.Running && !cfg.logs.disabled && !this.config.disableLogCollection) {
      t.logger = await startLogger(cfg, this.config.endpoint, containerID, Math.floor(Date.now() / 1000), t.tty).catch(() => undefined);
    }
    this.watch(t, ins);
    this.logger.debug('recovered container', { task_id: handle.taskID, container_id: containerID, running: ins.State?.Running === true });
  }

  waitTask(taskID: string): Promise<ExitResult> {
    try {
      return this.get(taskID).exited;
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  async stopTask(taskID: string, timeoutMs: number, signal: string): Promise<void> {
    const t = this.get(taskID);
    if (t.result) return;
    const sig = signal || t.cfg.killSignal;
    if (sig) {
      await this.kill(t, parseSignal(sig).name);
      if (await within(t.exited, Math.max(0, timeoutMs))) return;
      this.logger.debug('container did not stop in time; killing it', { task_id: taskID, timeout_ms: timeoutMs });
      await this.kill(t, 'SIGKILL');
    } else {
      // No kill_signal: Docker's stop (the image's STOPSIGNAL, SIGTERM by default, then SIGKILL).
      await this.client.json(`/containers/${t.containerID}/stop`, { method: 'POST', query: { t: Math.ceil(timeoutMs / 1000) } }).catch((e: unknown) => {
        if (!(e instanceof DockerApiError && (e.statusCode === 304 || e.statusCode === 404))) throw new DriverError(`failed to stop container: ${message(e)}`);
      });
    }
    if (!(await within(t.exited, AFTER_KILL_MS))) throw new DriverError(`container ${t.containerID.slice(0, 12)} of task ${taskID} did not exit after SIGKILL`);
  }

  async destroyTask(taskID: string, force: boolean): Promise<void> {
    const t = this.tasks.get(taskID);
    if (!t) return;
    if (!t.result) {
      if (!force) throw new DriverError(`cannot destroy running task ${taskID}; stop it first or force`, false);
      await this.kill(t, 'SIGKILL').catch(() => undefined);
      await within(t.exited, AFTER_KILL_MS);
    }
    t.waitAbort.abort();
    if (this.config.gc.container) await this.removeContainer(t.containerID);
    if (t.logger) await this.loggerGone(t.logger);
    this.tasks.delete(taskID);
  }

  /** Waits up to `ms` for the logger's shim to exit (the logger leaves when the container's output ends). */
  private async loggerDrained(l: ExecutorState, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (isSameProcessAlive(l.executorPid, l.executorStartTicks) && Date.now() < deadline) await sleep(20);
  }

  /** Waits for the logger to leave, killing it if it lingers, then removes its shim's files. */
  private async loggerGone(l: ExecutorState): Promise<void> {
    await this.loggerDrained(l, 2000);
    if (isSameProcessAlive(l.executorPid, l.executorStartTicks) && isSameProcessAlive(l.taskPid, l.taskStartTicks)) {
      try {
        signalGroup(l.pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.loggerDrained(l, 3000);
    for (const f of [l.stateFile, l.exitFile]) fs.rmSync(f, { force: true });
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
      driverAttributes: { container_id: t.containerID, pid: String(t.pid) },
    };
  }

  async taskStats(taskID: string): Promise<ResourceUsage> {
    const t = this.get(taskID);
    if (t.result) return emptyUsage();
    const raw = await this.client.json<unknown>(`/containers/${t.containerID}/stats`, { query: { stream: false, 'one-shot': true }, timeoutMs: 10_000 });
    const { usage, sample } = toResourceUsage(raw, t.cpu, Date.now(), cpuMHzPerCore());
    t.cpu = sample;
    return usage;
  }

  async signalTask(taskID: string, signal: string): Promise<void> {
    const t = this.get(taskID);
    if (t.result) throw new DriverError(`task ${taskID} is not running`, false);
    await this.kill(t, parseSignal(signal).name);
  }

  async execTask(taskID: string, opts: ExecOptions): Promise<ExitResult> {
    const t = this.get(taskID);
    if (t.result) throw new DriverError(`task ${taskID} is not running`, false);
    return execInContainer(this.client, t.containerID, opts);
  }

  shutdown(): Promise<void> {
    this.closed = true;
    if (this.reaper) clearInterval(this.reaper);
    for (const t of this.tasks.values()) t.waitAbort.abort();
    this.tasks.clear();
    return Promise.resolve();
  }

  private get(taskID: string): Tracked {
    const t = this.tasks.get(taskID);
    if (!t) throw new DriverError(`unknown task ${JSON.stringify(taskID)}`, false);
    return t;
  }

  private handleState(t: Tracked): Record<string, unknown> {
    return { containerID: t.containerID, tty: t.tty, ...(t.logger ? { logger: { ...t.logger } } : {}) };
  }

  private authConfigFile(): string {
    return this.config.authConfigFile;
  }

  private track(cfg: TaskConfig, containerID: string, tty: boolean, pid: number, startedAt: number): Tracked {
    let settle: (r: ExitResult) => void = () => undefined;
    const exited = new Promise<ExitResult>((r) => (settle = r));
    const t: Tracked = {
      cfg,
      containerID,
      tty,
      pid,
      startedAt,
      completedAt: 0,
      result: null,
      exited,
      settle,
      logger: undefined,
      cpu: { totalNs: 0, atMs: startedAt },
      waitAbort: new AbortController(),
    };
    this.tasks.set(cfg.id, t);
    return t;
  }

  /** Follows the container until it exits (Docker's wait), then records how it ended. */
  private watch(t: Tracked, ins: ContainerInspect | undefined): void {
    const exitedAlready = ins?.State && !ins.State.Running && ins.State.Status !== 'created' && ins.State.Status !== 'restarting';
    void (async () => {
      while (!t.waitAbort.signal.aborted) {
        try {
          if (!exitedAlready) await this.client.json(`/containers/${t.containerID}/wait`, { method: 'POST', query: { condition: 'not-running' }, signal: t.waitAbort.signal });
          const after = exitedAlready ? ins : await this.inspect(t.containerID);
          // The logger ends with the container's output; once it has, the log files are complete.
          if (t.logger) await this.loggerDrained(t.logger, 5000);
          this.finish(t, after?.State ?? { ExitCode: 0 });
          return;
        } catch (e) {
          if (t.waitAbort.signal.aborted) return;
          if (e instanceof DockerApiError && e.statusCode === 404) {
            this.finish(t, { ExitCode: 0, Error: 'container was removed' });
            return;
          }
          this.logger.warn('lost track of a container; retrying', { task_id: t.cfg.id, error: message(e) });
          await sleep(1000);
        }
      }
    })();
  }

  private finish(t: Tracked, st: ContainerState): void {
    if (t.result) return;
    const result: ExitResult = { exitCode: st.ExitCode ?? 0, signal: 0, oomKilled: st.OOMKilled === true };
    // As Nomad's docker driver: an OOM kill is the exit's error, shown in the Terminated event.
    if (st.Error) result.error = st.Error;
    else if (result.oomKilled) result.error = 'OOM Killed';
    t.result = result;
    t.completedAt = parseGoTime(st.FinishedAt) || Date.now();
    this.logger.debug('container exited', { task_id: t.cfg.id, exit_code: result.exitCode, oom_killed: result.oomKilled });
    t.settle(result);
  }

  private async kill(t: Tracked, signal: string): Promise<void> {
    try {
      await this.client.json(`/containers/${t.containerID}/kill`, { method: 'POST', query: { signal } });
    } catch (e) {
      // 409: the container is not running (it just exited) — nothing to signal.
      if (e instanceof DockerApiError && (e.statusCode === 409 || e.statusCode === 404)) return;
      throw new DriverError(`failed to signal container ${t.containerID.slice(0, 12)}: ${message(e)}`);
    }
  }

  private async inspect(id: string): Promise<ContainerInspect | undefined> {
    try {
      return await this.client.json<ContainerInspect>(`/containers/${id}/json`);
    } catch (e) {
      if (e instanceof DockerApiError && e.statusCode === 404) return undefined;
      throw new DriverError(`failed to inspect container ${id.slice(0, 12)}: ${message(e)}`);
    }
  }

  private async removeContainer(id: string): Promise<void> {
    await this.client.json(`/containers/${id}`, { method: 'DELETE', query: { force: 1, v: 1 } }).catch((e: unknown) => {
      if (!(e instanceof DockerApiError && e.statusCode === 404)) this.logger.warn('failed to remove container', { container_id: id, error: message(e) });
    });
  }

  /** Creates the container; a leftover with the same name (an earlier run of this task) is removed first, as Nomad does. */
  private async createContainer(name: string, body: Record<string, unknown>, tc: DockerTaskConfig): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.client.json<{ Id: string }>('/containers/create', { method: 'POST', query: { name }, body });
        return res.Id;
      } catch (e) {
        if (e instanceof DockerApiError && e.statusCode === 409 && attempt < 5) {
          const old = await this.inspect(name);
          if (old && old.Config?.Labels?.[LABEL_ALLOC_ID] !== undefined) {
            this.logger.info('purging an old container of the same task', { container: name, container_id: old.Id });
            await this.removeContainer(old.Id);
            continue;
          }
          throw new DriverError(`Failed to create container ${name}: a container of that name exists and was not started by Roam`, false);
        }
        if (e instanceof DockerApiError && e.statusCode === 404) throw new DriverError(`Failed to create container ${name}: image ${JSON.stringify(tc.image)} not found: ${e.message}`, false);
        if (e instanceof DockerApiError && e.statusCode === 400) throw new DriverError(`Failed to create container ${name}: ${e.message}`, false);
        throw new DriverError(`Failed to create container ${name}: ${message(e)}`);
      }
    }
  }

  /** Removes containers labelled for this node that no task of this driver owns, once past the creation grace. */
  async reapDangling(): Promise<string[]> {
    if (!this.nodeID) return [];
    const d = this.config.gc.dangling;
    const filters = JSON.stringify({ label: [LABEL_ALLOC_ID, `${LABEL_NODE_ID}=${this.nodeID}`] });
    const list = await this.client.json<{ Id: string; Created: number; Names?: string[] }[]>('/containers/json', { query: { all: 1, filters } });
    const owned = new Set([...this.tasks.values()].map((t) => t.containerID));
    const removed: string[] = [];
    for (const c of list) {
      if (owned.has(c.Id) || Date.now() - c.Created * 1000 < d.creationGraceMs) continue;
      this.logger.info(d.dryRun ? 'would remove dangling container (dry run)' : 'removing dangling container', { container_id: c.Id, name: c.Names?.[0] ?? '' });
      if (!d.dryRun) await this.removeContainer(c.Id);
      removed.push(c.Id);
    }
    return removed;
  }
}

export const dockerDriverFactory: DriverFactory = (pluginConfig, logger) => new DockerDriver(pluginConfig, logger.named(DOCKER));

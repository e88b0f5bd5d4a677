// The task driver contract (Nomad's DriverPlugin, narrowed to what Roam's client uses). Every
// driver — raw_exec, exec, docker, java, qemu, mock — implements it and passes the shared
// conformance suite (conformance.ts). The client only ever talks to this interface; src/agent
// picks the concrete drivers.
import type { AllocatedPortMapping } from '../structs/resources.js';
import type { Logger } from '../structs/logger.js';

export type HealthState = 'undetected' | 'unhealthy' | 'healthy';

export interface Fingerprint {
  health: HealthState;
  /** "Healthy" when healthy, otherwise why not ("disabled", "Docker daemon is not reachable: …"). */
  healthDescription: string;
  /** Node attributes the driver contributes: `driver.<name>` and `driver.<name>.*`. */
  attributes: Record<string, string>;
}

export interface DriverCapabilities {
  sendSignals: boolean;
  exec: boolean;
  /** How the task sees the filesystem: none (host paths), chroot, or an image (docker). */
  fsIsolation: 'none' | 'chroot' | 'image';
  netIsolationModes: string[];
  mustInitiateNetwork: boolean;
  mountConfigs: 'all' | 'none';
}

/** Paths of a task's directories, on the host. */
export interface TaskDirs {
  /** <alloc_dir>/<alloc_id> */
  allocDir: string;
  /** <alloc_dir>/<alloc_id>/alloc (shared by the group's tasks) */
  sharedAllocDir: string;
  /** <alloc_dir>/<alloc_id>/alloc/logs */
  logDir: string;
  /** <alloc_dir>/<alloc_id>/<task> */
  dir: string;
  localDir: string;
  secretsDir: string;
  tmpDir: string;
  privateDir: string;
}

export interface TaskResources {
  cpuShares: number;
  memoryMB: number;
  memoryMaxMB: number;
  reservedCores: number[];
  ports: AllocatedPortMapping[];
}

export interface LogSettings {
  /** Rotated files: <logDir>/<task>.stdout.N and .stderr.N, at most maxFiles of maxFileSizeMB each. */
  maxFiles: number;
  maxFileSizeMB: number;
  disabled: boolean;
}

export interface TaskConfig {
  /** Unique per start: `<allocID>/<task>/<8 random hex>`. */
  id: string;
  allocID: string;
  name: string;
  jobID: string;
  jobName: string;
  parentJobID: string;
  taskGroup: string;
  namespace: string;
  nodeID: string;
  nodeName: string;
  /** The complete task environment (NOMAD_* and the task's env), already interpolated. */
  env: Record<string, string>;
  /** The driver's `config` block, interpolated. */
  config: Record<string, unknown>;
  resources: TaskResources;
  user: string;
  dirs: TaskDirs;
  logs: LogSettings;
  killSignal: string;
  killTimeoutMs: number;
  /** Driver-originated events (Nomad's TaskEvents stream), shown as "Driver" task events. */
  events?: (message: string) => void;
}

/** What the client persists to re-attach to a task after an agent restart. */
export interface TaskHandle {
  version: 1;
  driver: string;
  taskID: string;
  /** Driver-specific, JSON-serializable (e.g. a PID and start time, a container ID). */
  state: Record<string, unknown>;
  startedAt: number;
}

export interface ExitResult {
  exitCode: number;
  /** Signal number that killed the task, 0 if none. */
  signal: number;
  oomKilled: boolean;
  /** A driver-level failure while waiting, if any. */
  error?: string;
}

export function exitSuccessful(r: ExitResult): boolean {
  return r.exitCode === 0 && r.signal === 0 && !r.error;
}

export interface TaskStatus {
  id: string;
  name: string;
  state: 'unknown' | 'running' | 'exited';
  startedAt: number;
  completedAt: number;
  exitResult: ExitResult | null;
  driverAttributes: Record<string, string>;
}

/** Nomad's TaskResourceUsage, in its JSON shape. */
export interface ResourceUsage {
  MemoryStats: { RSS: number; Cache: number; Swap: number; Usage: number; MaxUsage: number; KernelUsage: number; KernelMaxUsage: number; Measured: string[] };
  CpuStats: { SystemMode: number; UserMode: number; TotalTicks: number; ThrottledPeriods: number; ThrottledTime: number; Percent: number; Measured: string[] };
  /** Unix nanoseconds. */
  Timestamp: number;
}

export interface ExecOptions {
  command: string[];
  tty: boolean;
  /** Data for the command's stdin; end the stream to close stdin. */
  stdin?: AsyncIterable<Uint8Array>;
  stdout(data: Uint8Array): void;
  stderr(data: Uint8Array): void;
  /** Terminal size changes (tty only). */
  resize?: AsyncIterable<{ width: number; height: number }>;
  signal?: AbortSignal;
}

export interface TaskDriver {
  readonly name: string;
  capabilities(): DriverCapabilities;
  fingerprint(): Promise<Fingerprint>;
  /** Problems with a task's `config` block (unknown options, wrong types), each a sentence. */
  validateConfig(config: Record<string, unknown>): string[];
  startTask(cfg: TaskConfig): Promise<TaskHandle>;
  /** Re-attaches to a task started before an agent restart; throws if the task cannot be recovered. */
  recoverTask(handle: TaskHandle, cfg: TaskConfig): Promise<void>;
  /** Resolves when the task exits (at once if it already has). */
  waitTask(taskID: string): Promise<ExitResult>;
  /** Sends `signal` (default the driver's, e.g. SIGINT/SIGTERM), then SIGKILL after `timeoutMs`. */
  stopTask(taskID: string, timeoutMs: number, signal: string): Promise<void>;
  /** Forgets the task and cleans up; refuses a running task unless `force`. */
  destroyTask(taskID: string, force: boolean): Promise<void>;
  inspectTask(taskID: string): TaskStatus;
  taskStats(taskID: string): Promise<ResourceUsage>;
  signalTask(taskID: string, signal: string): Promise<void>;
  execTask(taskID: string, opts: ExecOptions): Promise<ExitResult>;
  /** Stops background work; running tasks keep running (they survive agent restarts). */
  shutdown(): Promise<void>;
  /** Called once the client knows its node (Nomad's DriverIniter), e.g. to clean up after lost tasks. */
  init?(ctx: { nodeID: string }): void;
}

export class DriverError extends Error {
  constructor(
    message: string,
    /** False when retrying cannot help (bad config, disabled driver). */
    readonly recoverable = true,
  ) {
    super(message);
  }
}

export type DriverFactory = (pluginConfig: Record<string, unknown>, logger: Logger) => TaskDriver;

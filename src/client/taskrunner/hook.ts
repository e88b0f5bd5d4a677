// The task runner's hook contract (Nomad's interfaces/task_lifecycle.go, narrowed): hooks run in
// the order of the list built in hooks.ts around the driver. Only prestart may fail the start;
// stop is the one hook guaranteed to run once the task is done.
import type { Allocation, TaskEvent } from '../../structs/alloc.js';
import type { Task } from '../../structs/job.js';
import type { Logger } from '../../structs/logger.js';
import type { DriverCapabilities, ExecOptions, ExitResult, LogSettings, TaskDirs, TaskHandle } from '../../drivers/driver.js';
import type { AllocDir } from '../allocdir.js';
import type { TaskEnvBuilder } from '../taskenv.js';

/** What hooks hand to the driver start (Nomad's hookResources). */
export interface TaskHookResources {
  logs: LogSettings | null;
}

/** Thrown by TaskLifecycle when the task has no running handle (Nomad's ErrTaskNotRunning). */
export class TaskNotRunningError extends Error {
  constructor() {
    super('Task not running');
  }
}

/**
 * What a hook may do to its running task (Nomad's interfaces.TaskLifecycle), e.g. a template's
 * change_mode. restart/signal/exec throw TaskNotRunningError when the task is not running.
 */
export interface TaskLifecycle {
  /** Emits `event` (Restart Signaled), stops the task and starts it again; `failure` counts against the restart policy. */
  restart(event: TaskEvent, failure: boolean): Promise<void>;
  /** Emits `event` (Signaling) and sends `signal` to the task. */
  signal(event: TaskEvent, signal: string): Promise<void>;
  /** Runs a command inside the task (the driver's exec). */
  exec(opts: ExecOptions): Promise<ExitResult>;
  /** Emits `event` and kills the task for good; resolves once the kill has been requested (not when the runner is done). */
  kill(event: TaskEvent): void;
  isRunning(): boolean;
}

/** What a hook sees of its task runner. */
export interface TaskHookContext {
  readonly alloc: Allocation;
  readonly task: Task;
  readonly allocDir: AllocDir;
  readonly taskDirs: TaskDirs;
  readonly envBuilder: TaskEnvBuilder;
  /** The driver's capabilities; null when the driver is missing. */
  readonly capabilities: DriverCapabilities | null;
  /** The agent's environment, for drivers without filesystem isolation. */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly resources: TaskHookResources;
  readonly logger: Logger;
  emitEvent(ev: TaskEvent): void;
  now(): number;
  readonly lifecycle: TaskLifecycle;
  /** Aborted when the task is killed or the runner shuts down: a prestart hook that waits must stop waiting. */
  readonly signal?: AbortSignal;
}

/**
 * Thrown by a prestart hook when trying again cannot help (a template that does not render, a
 * destination outside the task dir, an unsupported artifact): the hook has emitted its own event,
 * and the task runner treats the start as failed for good (Not Restarting) instead of retrying.
 */
export class UnrecoverableHookError extends Error {}

/**
 * Thrown by a prestart hook that has emitted its own event for a failure the restart policy may
 * retry (Nomad's hookError carrying a task event, e.g. "Failed Artifact Download"): the task
 * runner adds no "Task hook failed" event of its own and applies the restart policy.
 */
export class ReportedHookError extends Error {}

export interface PrestartResult {
  /** Never run this hook's prestart again for this task (persisted; e.g. artifacts downloaded). */
  done?: boolean;
  /** Data persisted with the task and handed back as previousState after an agent restart. */
  state?: Record<string, string>;
}

export interface TaskHook {
  readonly name: string;
  /** Before the driver starts the task; throwing fails this start attempt (the restart policy decides what next). */
  prestart?(ctx: TaskHookContext, previousState: Record<string, string>): Promise<PrestartResult | void>;
  /** After the driver started (or re-attached to) the task. */
  poststart?(ctx: TaskHookContext, handle: TaskHandle): Promise<void>;
  /** Before the task is sent its kill signal. */
  preKill?(ctx: TaskHookContext): Promise<void>;
  /** After each exit of the task. */
  exited?(ctx: TaskHookContext): Promise<void>;
  /** Once, after the task is done for good in this allocation. */
  stop?(ctx: TaskHookContext): Promise<void>;
}

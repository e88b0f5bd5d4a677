// Task events and task states as Nomad builds them on the client: the event constructor with every
// field present, the display message (Nomad's PopulateEventDisplayMessage, word for word, since
// `alloc status` and scripts read it), the 10-event window, and the state transitions that stamp
// StartedAt / FinishedAt / Restarts / LastRestart. Pure: the caller passes the time.
import type { TaskEvent, TaskState, TaskStateName } from '../structs/alloc.js';
import { MAX_TASK_EVENTS, TaskEventType } from '../structs/alloc.js';
import { formatDuration, type Nanos } from '../structs/duration.js';
import { goTime, msToNanos, ZERO_TIME } from '../structs/time.js';
import { taskEventDisplayMessage } from '../structs/task-events.js';

export function newTaskState(): TaskState {
  return { State: 'pending', Failed: false, Restarts: 0, LastRestart: ZERO_TIME, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME, Events: [] };
}

export type TaskEventFields = Partial<Omit<TaskEvent, 'Type' | 'Time' | 'DisplayMessage'>>;

/** A complete event of `type` at `nowMs`, with its display message filled in. */
export function newTaskEvent(type: string, nowMs: number, fields: TaskEventFields = {}): TaskEvent {
  const ev: TaskEvent = {
    Type: type,
    Time: msToNanos(nowMs),
    Message: '',
    DisplayMessage: '',
    Details: {},
    FailsTask: false,
    RestartReason: '',
    SetupError: '',
    DriverError: '',
    ExitCode: 0,
    Signal: 0,
    KillTimeout: 0,
    KillError: '',
    KillReason: '',
    StartDelay: 0,
    DownloadError: '',
    ValidationError: '',
    DiskLimit: 0,
    FailedSibling: '',
    VaultError: '',
    TaskSignalReason: '',
    TaskSignal: '',
    DriverMessage: '',
    GenericSource: '',
    ...fields,
  };
  ev.Details = eventDetails(ev);
  ev.DisplayMessage = taskEventDisplayMessage(ev);
  return ev;
}

/** The Details map Nomad fills from the typed fields (what `alloc status -verbose` and the UI show). */
function eventDetails(ev: TaskEvent): Record<string, string> {
  const d: Record<string, string> = { ...ev.Details };
  const set = (k: string, v: string | number | boolean, when: boolean): void => {
    if (when) d[k] = String(v);
  };
  set('fails_task', 'true', ev.FailsTask);
  set('restart_reason', ev.RestartReason, ev.RestartReason !== '');
  set('setup_error', ev.SetupError, ev.SetupError !== '');
  set('driver_error', ev.DriverError, ev.DriverError !== '');
  set('exit_code', ev.ExitCode, ev.Type === TaskEventType.Terminated);
  set('signal', ev.Signal, ev.Type === TaskEventType.Terminated);
  set('kill_timeout', formatDuration(ev.KillTimeout), ev.KillTimeout !== 0);
  set('kill_error', ev.KillError, ev.KillError !== '');
  set('kill_reason', ev.KillReason, ev.KillReason !== '');
  set('start_delay', ev.StartDelay, ev.StartDelay !== 0);
  set('validation_error', ev.ValidationError, ev.ValidationError !== '');
  set('failed_sibling', ev.FailedSibling, ev.FailedSibling !== '');
  set('driver_message', ev.DriverMessage, ev.DriverMessage !== '');
  return d;
}

/** Appends an event, keeping the last `max` (Nomad keeps 10), and applies what it implies for the state. */
export function appendTaskEvent(state: TaskState, ev: TaskEvent, max = MAX_TASK_EVENTS): TaskState {
  const next: TaskState = { ...state, Events: [...(state.Events ?? []), ev].slice(-max) };
  if (ev.FailsTask) next.Failed = true;
  if (ev.Type === TaskEventType.Restarting) {
    next.Restarts = state.Restarts + 1;
    next.LastRestart = goTime(ev.Time / 1e6);
  }
  return next;
}

/** Moves the task to `to`, stamping StartedAt on entering running and FinishedAt the first time it dies. */
export function transitionTaskState(state: TaskState, to: TaskStateName, nowMs: number): TaskState {
  const next: TaskState = { ...state, State: to };
  if (to === 'running' && state.State !== 'running') next.StartedAt = goTime(nowMs);
  if (to === 'dead' && (state.FinishedAt === ZERO_TIME || state.FinishedAt === '')) next.FinishedAt = goTime(nowMs);
  return next;
}

/** Kill event with the timeout the task will be given ("Sent interrupt. Waiting 5s before force killing"). */
export function killingEvent(nowMs: number, killTimeout: Nanos, reason = ''): TaskEvent {
  return newTaskEvent(TaskEventType.Killing, nowMs, { KillTimeout: killTimeout, KillReason: reason });
}

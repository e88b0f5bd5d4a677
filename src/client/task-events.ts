// Task events and task states as Nomad builds them on the client: the event constructor with every
// field present, the display message (Nomad's PopulateEventDisplayMessage, word for word, since
// `alloc status` and scripts read it), the 10-event window, and the state transitions that stamp
// StartedAt / FinishedAt / Restarts / LastRestart. Pure: the caller passes the time.
import type { TaskEvent, TaskState, TaskStateName } from '../structs/alloc.js';
import { MAX_TASK_EVENTS, TaskEventType } from '../structs/alloc.js';
import { formatDuration, type Nanos } from '../structs/duration.js';
import { goTime, msToNanos, ZERO_TIME } from '../structs/time.js';

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
  ev.DisplayMessage = displayMessage(ev);
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

/** Nomad's TaskEvent.PopulateEventDisplayMessage. */
export function displayMessage(e: TaskEvent): string {
  switch (e.Type) {
    case TaskEventType.Setup:
      return e.Message;
    case TaskEventType.Started:
      return 'Task started by client';
    case TaskEventType.Received:
      return 'Task received by client';
    case TaskEventType.FailedValidation:
      return e.ValidationError || 'Validation of task failed';
    case TaskEventType.SetupFailure:
      return e.SetupError || 'Task setup failed';
    case TaskEventType.DriverFailure:
      return e.DriverError || 'Failed to start task';
    case TaskEventType.DownloadingArtifacts:
      return 'Client is downloading artifacts';
    case TaskEventType.ArtifactDownloadFailed:
      return e.DownloadError || 'Failed to download artifacts';
    case TaskEventType.Killing:
      if (e.KillReason) return e.KillReason;
      if (e.KillTimeout !== 0) return `Sent interrupt. Waiting ${formatDuration(e.KillTimeout)} before force killing`;
      return 'Sent interrupt';
    case TaskEventType.Killed:
      return e.KillError || 'Task successfully killed';
    case TaskEventType.Terminated: {
      const parts = [`Exit Code: ${e.ExitCode}`];
      if (e.Signal !== 0) parts.push(`Signal: ${e.Signal}`);
      if (e.Message !== '') parts.push(`Exit Message: ${JSON.stringify(e.Message)}`);
      return parts.join(', ');
    }
    case TaskEventType.Restarting: {
      const inStr = `Task restarting in ${formatDuration(e.StartDelay)}`;
      // Nomad leaves the routine reason ("Restart within policy") out of the display message.
      return e.RestartReason !== '' && e.RestartReason !== 'Restart within policy' ? `${e.RestartReason} - ${inStr}` : inStr;
    }
    case TaskEventType.NotRestarting:
      return e.RestartReason || 'Task exceeded restart policy';
    case TaskEventType.SiblingFailed:
      return e.FailedSibling ? `Task's sibling ${JSON.stringify(e.FailedSibling)} failed` : "Task's sibling failed";
    case TaskEventType.Signaling: {
      const sig = e.TaskSignal;
      const reason = e.TaskSignalReason;
      if (sig === '' && reason === '') return 'Task being sent a signal';
      if (sig === '') return reason;
      if (reason === '') return `Task being sent signal ${sig}`;
      return `Task being sent signal ${sig}: ${reason}`;
    }
    case TaskEventType.RestartSignal:
      return e.RestartReason || 'Task signaled to restart';
    case TaskEventType.DriverMessage:
      return e.DriverMessage;
    case TaskEventType.LeaderDead:
      return 'Leader Task in Group dead';
    case TaskEventType.MainDead:
      return 'Main tasks in the group died';
    case TaskEventType.ClientReconnected:
      return 'Client reconnected';
    default:
      return e.Message;
  }
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

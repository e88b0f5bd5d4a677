// How a task event reads to a person (Nomad's TaskEvent.PopulateEventDisplayMessage): the client
// fills DisplayMessage with it when it records an event, and the CLI falls back to it for events
// that arrive without one.
import { TaskEventType, type TaskEvent } from './alloc.js';
import { formatDuration } from './duration.js';

/** Nomad's TaskEvent.PopulateEventDisplayMessage. */
export function taskEventDisplayMessage(e: TaskEvent): string {
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

// The Description column of `alloc status` "Recent Events": the event's DisplayMessage, or the
// message Nomad's CLI builds from the event's fields when the client left it empty.
import { TaskEventType, type TaskEvent } from '../../structs/alloc.js';
import { formatDuration } from '../../structs/duration.js';

/** Nomad's AllocRestartReasonWithinPolicy: a restart reason the CLI does not repeat. */
const RESTART_WITHIN_POLICY = 'Restart within policy';

export function taskEventDescription(e: TaskEvent): string {
  if (e.DisplayMessage) return e.DisplayMessage;
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
      if (e.KillReason) return `Killing task: ${e.KillReason}`;
      return e.KillTimeout ? `Sent interrupt. Waiting ${formatDuration(e.KillTimeout)} before force killing` : 'Sent interrupt';
    case TaskEventType.Killed:
      return e.KillError || 'Task successfully killed';
    case TaskEventType.Terminated: {
      const parts = [`Exit Code: ${e.ExitCode}`];
      if (e.Signal) parts.push(`Signal: ${e.Signal}`);
      if (e.Message) parts.push(`Exit Message: ${JSON.stringify(e.Message)}`);
      return parts.join(', ');
    }
    case TaskEventType.Restarting: {
      const inMsg = `Task restarting in ${formatDuration(e.StartDelay)}`;
      return e.RestartReason && e.RestartReason !== RESTART_WITHIN_POLICY ? `${e.RestartReason} - ${inMsg}` : inMsg;
    }
    case TaskEventType.NotRestarting:
      return e.RestartReason || 'Task exceeded restart policy';
    case TaskEventType.SiblingFailed:
      return e.FailedSibling ? `Task's sibling ${JSON.stringify(e.FailedSibling)} failed` : "Task's sibling failed";
    case TaskEventType.Signaling: {
      const sig = e.TaskSignal;
      const reason = e.TaskSignalReason;
      if (!sig && !reason) return 'Task being sent a signal';
      if (!sig) return reason;
      return reason ? `Task being sent signal ${sig}: ${reason}` : `Task being sent signal ${sig}`;
    }
    case TaskEventType.RestartSignal:
      return e.RestartReason || 'Task signaled to restart';
    case TaskEventType.DriverMessage:
      return e.DriverMessage;
    case TaskEventType.LeaderDead:
      return 'Leader Task in Group dead';
    case TaskEventType.ClientReconnected:
      return 'Client reconnected';
    default:
      return e.Message;
  }
}

// The Description column of `alloc status` "Recent Events": the event's DisplayMessage, or the
// message Nomad's CLI builds from the event's fields when the client left it empty.
import { TaskEventType, type TaskEvent } from '../../structs/alloc.js';
import { taskEventDisplayMessage } from '../../structs/task-events.js';

export function taskEventDescription(e: TaskEvent): string {
  if (e.DisplayMessage) return e.DisplayMessage;
  // Nomad's CLI words a kill with a reason differently from the client's display message.
  if (e.Type === TaskEventType.Killing && e.KillReason) return `Killing task: ${e.KillReason}`;
  return taskEventDisplayMessage(e);
}

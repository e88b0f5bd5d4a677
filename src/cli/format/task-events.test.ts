import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskEvent } from '../../structs/alloc.js';
import { SECOND } from '../../structs/duration.js';
import { taskEventDescription } from './task-events.js';

const ev = (over: Partial<TaskEvent>): TaskEvent =>
  ({ Type: '', Time: 0, Message: '', DisplayMessage: '', Details: {}, FailsTask: false, RestartReason: '', SetupError: '', DriverError: '', ExitCode: 0, Signal: 0, KillTimeout: 0, KillError: '', KillReason: '', StartDelay: 0, DownloadError: '', ValidationError: '', DiskLimit: 0, FailedSibling: '', VaultError: '', TaskSignalReason: '', TaskSignal: '', DriverMessage: '', GenericSource: '', ...over }) as TaskEvent;

test('DisplayMessage wins; otherwise Nomad builds the description from the fields', () => {
  assert.equal(taskEventDescription(ev({ Type: 'Started', DisplayMessage: 'Task started by client' })), 'Task started by client');
  assert.equal(taskEventDescription(ev({ Type: 'Received' })), 'Task received by client');
  assert.equal(taskEventDescription(ev({ Type: 'Terminated', ExitCode: 1, Signal: 9, Message: 'oops' })), 'Exit Code: 1, Signal: 9, Exit Message: "oops"');
  assert.equal(taskEventDescription(ev({ Type: 'Restarting', StartDelay: 15 * SECOND, RestartReason: 'Restart within policy' })), 'Task restarting in 15s');
  assert.equal(taskEventDescription(ev({ Type: 'Killing', KillTimeout: 5 * SECOND })), 'Sent interrupt. Waiting 5s before force killing');
  assert.equal(taskEventDescription(ev({ Type: 'Signaling', TaskSignal: 'SIGHUP' })), 'Task being sent signal SIGHUP');
});

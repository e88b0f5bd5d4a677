import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mockTaskState } from '../../structs/mock.js';
import { clientStatusFromTasks } from './alloc-status.js';

test('client status precedence: failed > running > pending > complete', () => {
  const dead = mockTaskState({ State: 'dead' });
  const failed = mockTaskState({ State: 'dead', Failed: true });
  const running = mockTaskState({ State: 'running' });
  const pending = mockTaskState({ State: 'pending' });
  assert.deepEqual(clientStatusFromTasks({ a: failed, b: running, c: pending }), { status: 'failed', description: 'Failed tasks' });
  assert.deepEqual(clientStatusFromTasks({ a: dead, b: running, c: pending }), { status: 'running', description: 'Tasks are running' });
  assert.deepEqual(clientStatusFromTasks({ a: dead, c: pending }), { status: 'pending', description: 'No tasks have started' });
  assert.deepEqual(clientStatusFromTasks({ a: dead, b: dead }), { status: 'complete', description: 'All tasks have completed' });
  assert.deepEqual(clientStatusFromTasks({}), { status: '', description: '' });
});

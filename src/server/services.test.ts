import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceRegistration } from '../structs/services.js';
import { ServerError } from './errors.js';
import { chooseRegistrations } from './services.js';

const regs: ServiceRegistration[] = [0, 1, 2, 3, 4].map((i) => ({
  ID: `_nomad-task-alloc-${i}-group-g-web-http`,
  ServiceName: 'web',
  Namespace: 'default',
  NodeID: 'n',
  Datacenter: 'dc1',
  JobID: 'j',
  AllocID: `alloc-${i}`,
  Tags: ['t1'],
  Address: '127.0.0.1',
  Port: 25000 + i,
  CreateIndex: 1,
  ModifyIndex: 1,
}));

test('choose picks Nomad\'s rendezvous subset: the order Go computes for each key', () => {
  // Expected orders generated with Nomad's ServiceRegistration.HashWith and sort.SliceStable in Go.
  assert.deepEqual(chooseRegistrations(regs, '3|requester-1').map((r) => r.AllocID), ['alloc-1', 'alloc-4', 'alloc-2']);
  assert.deepEqual(chooseRegistrations([...regs].reverse(), '3|requester-2').map((r) => r.AllocID), ['alloc-4', 'alloc-0', 'alloc-3']);
  assert.equal(chooseRegistrations(regs, '+9|requester-1').length, 5, 'more than there are: all of them');
  assert.deepEqual(chooseRegistrations(regs, '0|k'), []);
});

test('a malformed choose parameter is a 400 with Nomad\'s message', () => {
  for (const bad of ['3', '3|', 'x|key', '|key', '-1|key', '1.5|key']) {
    assert.throws(
      () => chooseRegistrations(regs, bad),
      (e: unknown) => e instanceof ServerError && e.statusCode === 400 && e.message === "failed to choose services: Parameter for choose must be in form '<number>|<key>'",
      bad,
    );
  }
});

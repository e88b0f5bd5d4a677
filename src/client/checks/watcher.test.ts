import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nullLogger } from '../../structs/logger.js';
import { mockServiceCheck } from '../../structs/mock.js';
import { CheckRestarter, CheckWatcher, type WorkloadRestarter } from './watcher.js';

const S = 1_000;

function recorder(): WorkloadRestarter & { calls: { reason: string; failure: boolean }[] } {
  const calls: { reason: string; failure: boolean }[] = [];
  return { calls, restart: (reason, failure) => (calls.push({ reason, failure }), Promise.resolve()) };
}

test('no restart within grace; limit 1 restarts on the first unhealthy status after it', () => {
  const check = mockServiceCheck({ Interval: 10e9, CheckRestart: { Limit: 1, Grace: 5e9, IgnoreWarnings: false } });
  const r = new CheckRestarter('a', 'server', check.Name, check, recorder(), 0);
  assert.equal(r.apply(4 * S, 'failure'), false);
  assert.equal(r.apply(5 * S, 'failure'), true);
});

test('limit N restarts once the check stays unhealthy for interval × (N − 1); a success starts over', () => {
  const check = mockServiceCheck({ Interval: 10e9, CheckRestart: { Limit: 3, Grace: 1e9, IgnoreWarnings: false } });
  const r = new CheckRestarter('a', 'server', check.Name, check, recorder(), 0);
  assert.equal(r.apply(2 * S, 'failure'), false); // first failure at 2s: deadline 22s
  assert.equal(r.apply(21 * S, 'failure'), false);
  assert.equal(r.apply(22 * S, 'success'), false); // healthy: forget
  assert.equal(r.apply(23 * S, 'failure'), false); // deadline 43s
  assert.equal(r.apply(42 * S, 'pending'), false); // pending counts as unhealthy, as in Nomad
  assert.equal(r.apply(43 * S, 'failure'), true);
  assert.equal(r.reason, 'healthcheck: check "alive" unhealthy');
});

test('warnings count unless ignore_warnings (Consul statuses)', () => {
  const check = mockServiceCheck({ Interval: 1e9, CheckRestart: { Limit: 1, Grace: 0, IgnoreWarnings: true } });
  const r = new CheckRestarter('a', 't', check.Name, check, recorder(), 0);
  assert.equal(r.apply(1, 'warning'), false);
  assert.equal(r.apply(2, 'critical'), true);
});

test('the watcher restarts each workload once with a failure restart, then stops watching it until watched again', () => {
  let now = 0;
  const statuses = new Map<string, string>();
  const w = new CheckWatcher({ statuses: () => statuses, logger: nullLogger, now: () => now });
  const task = recorder();
  const other = recorder();
  const restart = { Limit: 2, Grace: 1e9, IgnoreWarnings: false };
  w.watch('a1', 'server', 'c1', mockServiceCheck({ Name: 'one', Interval: 1e9, CheckRestart: restart }), task);
  w.watch('a1', 'server', 'c2', mockServiceCheck({ Name: 'two', Interval: 1e9, CheckRestart: restart }), task);
  w.watch('a2', 'server', 'c3', mockServiceCheck({ Name: 'three', Interval: 1e9, CheckRestart: restart }), other);
  w.watch('a1', 'server', 'c4', mockServiceCheck({ Name: 'no-restart' }), task);
  assert.equal(w.size, 3, 'a check without check_restart is not watched');
  statuses.set('c1', 'failure').set('c2', 'failure').set('c3', 'success');
  now = 2 * S;
  w.tick();
  assert.equal(task.calls.length, 0);
  now = 3 * S;
  w.tick();
  assert.deepEqual(task.calls, [{ reason: 'healthcheck: check "one" unhealthy', failure: true }]);
  assert.equal(other.calls.length, 0);
  assert.equal(w.size, 1, 'both checks of the restarted task are dropped');
  w.unwatch('c3');
  assert.equal(w.size, 0);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOUR, MINUTE, SECOND } from '../structs/duration.js';
import type { RestartPolicy } from '../structs/job.js';
import { ReasonDelay, ReasonNoRestartsAllowed, ReasonSuccessfulExit, ReasonUnrecoverableError, ReasonWithinPolicy, RestartTracker } from './restarts.js';

/** mulberry32: a small deterministic RNG for reproducible jitter. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const service: RestartPolicy = { Attempts: 2, Interval: 30 * MINUTE, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false };
const failed = { exitCode: 1, signal: 0, oomKilled: false };
const ok = { exitCode: 0, signal: 0, oomKilled: false };

test('restarts within policy with 25% jitter, then fails with Nomad\'s reason', () => {
  const c = clock();
  const rt = new RestartTracker(service, 'service', null, { now: c.now, random: seeded(42) });
  const first = rt.setExitResult(failed).getState();
  assert.equal(first.state, 'Restarting');
  assert.equal(first.reason, ReasonWithinPolicy);
  assert.ok(first.delay >= 15 * SECOND && first.delay < 15 * SECOND * 1.25, String(first.delay));
  assert.ok(Number.isInteger(first.delay));
  const second = rt.setExitResult(failed).getState();
  assert.equal(second.state, 'Restarting');
  assert.notEqual(second.delay, first.delay, 'jitter differs between attempts');
  const third = rt.setExitResult(failed).getState();
  assert.deepEqual(third, { state: 'Not Restarting', delay: 0, reason: 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"' });
});

test('the same seed gives the same delays', () => {
  const a = new RestartTracker(service, 'service', null, { now: clock().now, random: seeded(7) });
  const b = new RestartTracker(service, 'service', null, { now: clock().now, random: seeded(7) });
  assert.equal(a.setExitResult(failed).getState().delay, b.setExitResult(failed).getState().delay);
});

test('a new interval resets the count', () => {
  const c = clock();
  const rt = new RestartTracker(service, 'service', null, { now: c.now, random: seeded(1) });
  rt.setExitResult(failed).getState();
  rt.setExitResult(failed).getState();
  c.advance(30 * 60_000 + 1);
  const d = rt.setExitResult(failed).getState();
  assert.equal(d.state, 'Restarting');
  assert.equal(rt.restartCount, 1);
});

test('mode delay waits for the rest of the interval', () => {
  const c = clock();
  const policy: RestartPolicy = { ...service, Attempts: 1, Interval: 10 * MINUTE, Mode: 'delay' };
  const rt = new RestartTracker(policy, 'service', null, { now: c.now, random: seeded(3) });
  rt.setExitResult(failed).getState();
  c.advance(60_000);
  const d = rt.setExitResult(failed).getState();
  assert.deepEqual(d, { state: 'Restarting', delay: 9 * MINUTE, reason: ReasonDelay });
});

test('batch tasks that exit 0 are never restarted; failed ones are', () => {
  const batch: RestartPolicy = { Attempts: 3, Interval: 24 * HOUR, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false };
  const rt = new RestartTracker(batch, 'batch', null, { now: clock().now, random: seeded(5) });
  assert.deepEqual(rt.setExitResult(ok).getState(), { state: 'Terminated', delay: 0, reason: ReasonSuccessfulExit });
  assert.equal(rt.setExitResult(failed).getState().state, 'Restarting');
  // A service task that exits 0 restarts.
  const svc = new RestartTracker(service, 'service', null, { now: clock().now, random: seeded(5) });
  assert.equal(svc.setExitResult(ok).getState().state, 'Restarting');
});

test('lifecycle: prestart/poststart restart on success only as sidecars, poststop never', () => {
  const mk = (hook: string, sidecar: boolean): RestartTracker => new RestartTracker(service, 'service', { Hook: hook, Sidecar: sidecar }, { now: clock().now, random: seeded(9) });
  assert.equal(mk('prestart', false).setExitResult(ok).getState().state, 'Terminated');
  assert.equal(mk('prestart', true).setExitResult(ok).getState().state, 'Restarting');
  assert.equal(mk('poststart', false).setExitResult(ok).getState().state, 'Terminated');
  assert.equal(mk('poststop', true).setExitResult(ok).getState().state, 'Terminated');
});

test('attempts 0: no restarts allowed; a successful batch exit is Terminated', () => {
  const none: RestartPolicy = { ...service, Attempts: 0 };
  assert.deepEqual(new RestartTracker(none, 'service', null).setExitResult(failed).getState(), { state: 'Not Restarting', delay: 0, reason: ReasonNoRestartsAllowed });
  assert.equal(new RestartTracker(none, 'batch', null).setExitResult(ok).getState().state, 'Terminated');
});

test('unrecoverable start errors are not retried; recoverable ones are', () => {
  const rt = new RestartTracker(service, 'service', null, { now: clock().now, random: seeded(2) });
  assert.deepEqual(rt.setStartError({ message: 'bad config', recoverable: false }).getState(), { state: 'Not Restarting', delay: 0, reason: ReasonUnrecoverableError });
  assert.equal(rt.setStartError({ message: 'busy', recoverable: true }).getState().state, 'Restarting');
});

test('killed wins over everything; a triggered restart is immediate; state is cleared after each decision', () => {
  const rt = new RestartTracker(service, 'service', null, { now: clock().now, random: seeded(2) });
  assert.equal(rt.setExitResult(failed).setKilled().getState().state, 'Killed');
  assert.deepEqual(rt.setRestartTriggered(false).getState(), { state: 'Restarting', delay: 0, reason: '' });
  // Nothing recorded: no decision.
  assert.equal(rt.getState().state, '');
});

test('a zero delay still jitters from 1ns as Go does', () => {
  const rt = new RestartTracker({ ...service, Delay: 0 }, 'service', null, { random: () => 0.99 });
  assert.equal(rt.setExitResult(failed).getState().delay, 1);
});

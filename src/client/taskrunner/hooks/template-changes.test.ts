import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualTimers, tmpl } from '../../testing/template-harness.js';
import { effectiveWait, planChangeAction, Quiescence, splayDelayMs } from './template-changes.js';

const script = (cmd: string) => ({ Command: cmd, Args: [], Timeout: 5e9, FailOnError: false });

test('restart wins over signals and scripts; the largest splay counts', () => {
  const plan = planChangeAction([tmpl({ ChangeMode: 'signal', ChangeSignal: 'SIGUSR1', Splay: 9e9 }), tmpl({ ChangeMode: 'restart', Splay: 1e9 }), tmpl({ ChangeMode: 'script', ChangeScript: script('/bin/x') })]);
  assert.deepEqual(plan, { restart: true, signals: [], scripts: [], splayNs: 9e9 });
});

test('signals are sent once each; scripts all run; noop asks for nothing and does not splay', () => {
  const plan = planChangeAction([
    tmpl({ ChangeMode: 'signal', ChangeSignal: 'SIGHUP', Splay: 1e9 }),
    tmpl({ ChangeMode: 'signal', ChangeSignal: 'sighup', Splay: 2e9 }),
    tmpl({ ChangeMode: 'signal', ChangeSignal: '' }),
    tmpl({ ChangeMode: 'signal', ChangeSignal: 'SIGUSR1' }),
    tmpl({ ChangeMode: 'script', ChangeScript: script('/a') }),
    tmpl({ ChangeMode: 'script', ChangeScript: script('/b') }),
    tmpl({ ChangeMode: 'noop', Splay: 60e9 }),
  ]);
  assert.deepEqual(plan?.signals, ['SIGHUP', 'SIGUSR1']);
  assert.deepEqual(plan?.scripts.map((s) => s.Command), ['/a', '/b']);
  assert.equal(plan?.restart, false);
  assert.equal(plan?.splayNs, 2e9);
  assert.equal(planChangeAction([tmpl({ ChangeMode: 'noop' })]), null);
  assert.equal(planChangeAction([]), null);
});

test('splay is uniform below the splay', () => {
  assert.equal(splayDelayMs(0, () => 0.9), 0);
  assert.equal(splayDelayMs(10e9, () => 0), 0);
  assert.equal(splayDelayMs(10e9, () => 0.5), 5000);
  assert.ok(splayDelayMs(10e9, () => 0.999999) < 10_000);
});

test('the effective wait: the template, else the client default, clamped to the bounds; max defaults to 4×min', () => {
  assert.equal(effectiveWait(null), null);
  assert.deepEqual(effectiveWait(null, { wait: { minMs: 1000, maxMs: 3000 } }), { minMs: 1000, maxMs: 3000 });
  assert.deepEqual(effectiveWait({ Min: 2e9, Max: null }), { minMs: 2000, maxMs: 8000 });
  assert.deepEqual(effectiveWait({ Min: 2e9, Max: 60e9 }, { waitBounds: { minMs: 5000, maxMs: 10_000 } }), { minMs: 5000, maxMs: 10_000 });
  assert.deepEqual(effectiveWait({ Min: 0, Max: 0 }), null);
});

test('quiescence: fires `min` after the last tick, never later than `max` after the first', async () => {
  const timers = new ManualTimers();
  const fired: number[] = [];
  const q = new Quiescence(2000, 5000, timers, () => fired.push(timers.now()));
  q.tick();
  await timers.advance(1500);
  q.tick(); // re-armed: due at 3500
  await timers.advance(1999);
  assert.deepEqual(fired, []);
  await timers.advance(1);
  assert.deepEqual(fired, [3500]);

  // Changes every second: the max deadline (first tick + 5 s) ends the wait.
  fired.length = 0;
  const start = timers.now();
  q.tick();
  for (let i = 0; i < 4; i++) {
    await timers.advance(1000);
    q.tick();
  }
  assert.deepEqual(fired, []);
  await timers.advance(1000);
  assert.deepEqual(fired, [start + 5000]);
  q.cancel();
  assert.equal(q.armed, false);
});

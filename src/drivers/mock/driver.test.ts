// The mock driver's own options, beyond the conformance suite.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { nullLogger } from '../../structs/logger.js';
import type { TaskConfig } from '../driver.js';
import { DriverError } from '../driver.js';
import { Janitor, makeTaskConfig, readIfExists } from '../testing.js';
import { MockDriver } from './driver.js';

async function withMock(fn: (d: MockDriver, cfg: (config: Record<string, unknown>) => TaskConfig) => Promise<void>): Promise<void> {
  const d = new MockDriver({}, nullLogger);
  const j = new Janitor();
  const root = j.tempDir();
  const ids: string[] = [];
  try {
    await fn(d, (config) => {
      const c = makeTaskConfig(root, { config });
      ids.push(c.id);
      return c;
    });
  } finally {
    for (const id of ids) await d.destroyTask(id, true);
    await d.shutdown();
    j.cleanup();
  }
}

test('fingerprint sets driver.mock_driver', async () => {
  assert.deepEqual((await new MockDriver({}, nullLogger).fingerprint()).attributes, { 'driver.mock_driver': '1' });
  assert.throws(() => new MockDriver({ bogus: 1 }, nullLogger), /bogus/);
});

test('start_error, start_error_recoverable and start_block_for', async () => {
  await withMock(async (d, cfg) => {
    await assert.rejects(d.startTask(cfg({ start_error: 'nope' })), (e: unknown) => e instanceof DriverError && e.message === 'nope' && !e.recoverable);
    await assert.rejects(d.startTask(cfg({ start_error: 'later', start_error_recoverable: true })), (e: unknown) => e instanceof DriverError && e.recoverable);
    const t0 = Date.now();
    const c = cfg({ start_block_for: '150ms', run_for: '0s' });
    await d.startTask(c);
    assert.ok(Date.now() - t0 >= 140);
  });
});

test('exit_code, exit_signal and exit_err_msg make the exit result', async () => {
  await withMock(async (d, cfg) => {
    const c = cfg({ run_for: '20ms', exit_code: 2, exit_signal: 9, exit_err_msg: 'boom' });
    await d.startTask(c);
    assert.deepEqual(await d.waitTask(c.id), { exitCode: 2, signal: 9, oomKilled: false, error: 'boom' });
  });
});

test('kill_after delays stopTask; run_for in Nomad\'s duration syntax', async () => {
  await withMock(async (d, cfg) => {
    const c = cfg({ run_for: '1h30m', kill_after: '200ms' });
    await d.startTask(c);
    const t0 = Date.now();
    await d.stopTask(c.id, 10, 'SIGINT');
    assert.ok(Date.now() - t0 >= 190, 'stop waited kill_after');
    assert.equal(d.inspectTask(c.id).state, 'exited');
  });
});

test('stdout_string repeats every stdout_repeat_duration while the task runs', async () => {
  await withMock(async (d, cfg) => {
    const c = cfg({ run_for: '1s', stdout_string: 'x\n', stdout_repeat: 3, stdout_repeat_duration: '20ms' });
    await d.startTask(c);
    const file = path.join(c.dirs.logDir, 'web.stdout.0');
    assert.equal(readIfExists(file), 'x\n');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(readIfExists(file), 'x\n'.repeat(4));
  });
});

test('signal_error fails signalTask; other signals are recorded', async () => {
  await withMock(async (d, cfg) => {
    const a = cfg({ run_for: '1h' });
    await d.startTask(a);
    await d.signalTask(a.id, 'SIGHUP');
    await d.signalTask(a.id, 'USR1');
    assert.deepEqual(d.deliveredSignals(a.id), ['SIGHUP', 'SIGUSR1']);
    await assert.rejects(d.signalTask(a.id, 'SIGNOPE'), /unknown signal/);
    const b = cfg({ run_for: '1h', signal_error: 'cannot signal' });
    await d.startTask(b);
    await assert.rejects(d.signalTask(b.id, 'SIGHUP'), /cannot signal/);
  });
});

test('validateConfig rejects wrong types and unknown options', () => {
  const d = new MockDriver({}, nullLogger);
  assert.deepEqual(d.validateConfig({ run_for: '10s', exit_code: 1 }), []);
  assert.match(d.validateConfig({ run_for: 'soon' }).join(), /run_for.*duration/);
  assert.match(d.validateConfig({ exit_code: 'one' }).join(), /exit_code.*integer/);
  assert.match(d.validateConfig({ command: 'x' }).join(), /unknown option "command"/);
});

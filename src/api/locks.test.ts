// The lock leaser against a scripted locker (short TTLs, no server): it waits while the lock is
// held elsewhere, renews while the work runs, releases afterwards, gives up with earlyReturn, and
// when a renewal fails it signals the work and reports the lost lease without releasing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LockConflictError, LockLeaseError, LockLeaser, type Locker } from './locks.js';

class ScriptedLocker implements Locker {
  calls: string[] = [];
  constructor(
    readonly ttlMs: number,
    private readonly script: { acquireConflicts?: number; renewFailsAt?: number; acquireError?: Error } = {},
  ) {}
  acquire(): Promise<void> {
    this.calls.push('acquire');
    if (this.script.acquireError) return Promise.reject(this.script.acquireError);
    const conflicts = this.calls.filter((c) => c === 'acquire').length <= (this.script.acquireConflicts ?? 0);
    return conflicts ? Promise.reject(new LockConflictError('acquire')) : Promise.resolve();
  }
  renew(): Promise<void> {
    this.calls.push('renew');
    const n = this.calls.filter((c) => c === 'renew').length;
    return n === this.script.renewFailsAt ? Promise.reject(new LockConflictError('renew')) : Promise.resolve();
  }
  release(): Promise<void> {
    this.calls.push('release');
    return Promise.resolve();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const noJitter = { random: () => 0 };

test('waits out a held lock, renews while the work runs, then releases', async () => {
  const locker = new ScriptedLocker(100, { acquireConflicts: 2 });
  const ok = await new LockLeaser(locker, { ...noJitter, waitPeriodMs: 10 }).run(async (lost) => {
    await sleep(300);
    assert.equal(lost.aborted, false);
  });
  assert.equal(ok, true);
  assert.deepEqual(locker.calls.slice(0, 3), ['acquire', 'acquire', 'acquire']);
  assert.ok(locker.calls.filter((c) => c === 'renew').length >= 2, locker.calls.join());
  assert.equal(locker.calls.at(-1), 'release');
});

test('earlyReturn gives up without running the work', async () => {
  const locker = new ScriptedLocker(100, { acquireConflicts: 1 });
  let ran = false;
  const ok = await new LockLeaser(locker, { ...noJitter, earlyReturn: true }).run(() => {
    ran = true;
    return Promise.resolve();
  });
  assert.equal(ok, false);
  assert.equal(ran, false);
  assert.deepEqual(locker.calls, ['acquire']);
});

test('a failed renewal aborts the work and is reported; the lost lock is not released', async () => {
  const locker = new ScriptedLocker(50, { renewFailsAt: 2 });
  let abortedAfter = 0;
  const started = Date.now();
  await assert.rejects(
    new LockLeaser(locker, noJitter).run(
      (lost) =>
        new Promise((_resolve, reject) => {
          lost.addEventListener('abort', () => {
            abortedAfter = Date.now() - started;
            reject(new Error('signal: killed'));
          });
        }),
    ),
    (e: unknown) => e instanceof LockLeaseError && e.message === 'locks: error renewing the lease: renew conflict conflicting operation over lock',
  );
  assert.ok(abortedAfter > 0);
  assert.ok(!locker.calls.includes('release'), locker.calls.join());
});

test('a failing work is reported as Nomad words it, and the lock is still released', async () => {
  const locker = new ScriptedLocker(1000);
  await assert.rejects(
    new LockLeaser(locker, noJitter).run(() => Promise.reject(new Error('exit status 3'))),
    (e: unknown) => e instanceof LockLeaseError && e.message === 'locks: error executing protected function exit status 3',
  );
  assert.deepEqual(locker.calls, ['acquire', 'release']);
});

test('an acquire error other than a conflict ends the run', async () => {
  const locker = new ScriptedLocker(1000, { acquireError: new Error('Unexpected response code: 400 (bad)') });
  await assert.rejects(new LockLeaser(locker, noJitter).run(() => Promise.resolve()), (e: unknown) => e instanceof LockLeaseError && e.message === 'locks: Unexpected response code: 400 (bad)');
});

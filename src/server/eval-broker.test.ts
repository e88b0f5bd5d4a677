import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { ManualClock } from '../state/clock.js';
import { SECOND } from '../structs/duration.js';
import type { Evaluation } from '../structs/eval.js';
import { mockEval } from '../structs/mock.js';
import { goTime } from '../structs/time.js';
import type { Dequeued, EvalBrokerOptions } from './eval-broker.js';
import { BrokerDisabledError, CANCELABLE_BATCH_SIZE, DEFAULT_EVAL_BROKER_CONFIG, EvalBroker, FAILED_QUEUE, failedFollowUpEval, NotOutstandingError, TokenMismatchError } from './eval-broker.js';

const START = Date.parse('2025-03-01T12:00:00Z');

function setup(opts: Omit<EvalBrokerOptions, 'clock'> = {}): { broker: EvalBroker; clock: ManualClock; done: () => void } {
  const clock = new ManualClock(START);
  const broker = new EvalBroker({ clock, ...opts });
  broker.setEnabled(true);
  // Every scenario ends by disabling the broker, which must leave no timer behind.
  const done = (): void => {
    broker.setEnabled(false);
    assert.equal(clock.pendingTimers, 0, 'timers left after setEnabled(false)');
  };
  return { broker, clock, done };
}

/** Dequeues what is ready right now, without waiting. */
async function dequeueNow(broker: EvalBroker, schedulers: readonly string[] = ['service']): Promise<Dequeued | undefined> {
  const ac = new AbortController();
  const p = broker.dequeue(schedulers, 0, ac.signal);
  ac.abort();
  return p;
}

async function mustDequeue(broker: EvalBroker, schedulers: readonly string[] = ['service']): Promise<Dequeued> {
  const d = await dequeueNow(broker, schedulers);
  assert.ok(d, `expected a ready eval for ${schedulers.join(',')}`);
  return d;
}

/** Whether a promise has settled after the microtask queue drains. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await tick();
  return done;
}

test('per-job serialization: a second eval of a job waits until the first is acked', async () => {
  const { broker, clock, done } = setup();
  const first = mockEval({ JobID: 'web', CreateIndex: 1 });
  const second = mockEval({ JobID: 'web', CreateIndex: 2 });
  const otherJob = mockEval({ JobID: 'api', CreateIndex: 3 });
  broker.enqueueAll([first, second, otherJob]);
  assert.deepEqual([broker.stats().totalReady, broker.stats().totalPending], [2, 1]);

  const d1 = await mustDequeue(broker);
  assert.equal(d1.eval, first);
  const d2 = await mustDequeue(broker);
  assert.equal(d2.eval, otherJob, 'another job is not held back');
  const waiting = broker.dequeue(['service'], 1_000);
  clock.advance(1_000);
  assert.equal(await waiting, undefined, 'the second eval of "web" must not be delivered while the first is unacked');

  broker.ack(d1.eval.ID, d1.token);
  const d3 = await mustDequeue(broker);
  assert.equal(d3.eval, second);
  done();
});

test('the same job ID in two namespaces is two jobs', async () => {
  const { broker, done } = setup();
  broker.enqueue(mockEval({ JobID: 'web', Namespace: 'default' }));
  broker.enqueue(mockEval({ JobID: 'web', Namespace: 'prod' }));
  assert.equal(broker.stats().totalReady, 2);
  await mustDequeue(broker);
  await mustDequeue(broker);
  done();
});

test('priority then FIFO (CreateIndex) order across jobs, and the best head across scheduler types', async () => {
  const { broker, done } = setup();
  const low = mockEval({ Priority: 50, CreateIndex: 10 });
  const early = mockEval({ Priority: 50, CreateIndex: 5 });
  const high = mockEval({ Priority: 70, CreateIndex: 20 });
  const middle = mockEval({ Priority: 50, CreateIndex: 7 });
  const batchTop = mockEval({ Type: 'batch', Priority: 80, CreateIndex: 30 });
  broker.enqueueAll([low, early, high, middle, batchTop]);

  const order: Evaluation[] = [];
  for (let i = 0; i < 5; i++) order.push((await mustDequeue(broker, ['service', 'batch'])).eval);
  assert.deepEqual(
    order.map((e) => e.ID),
    [batchTop, high, early, middle, low].map((e) => e.ID),
  );
  done();
});

test('priority ties between scheduler queues are broken by the injected random source', async () => {
  const { broker, done } = setup({ random: () => 0.99 });
  const svc = mockEval({ Type: 'service', Priority: 50 });
  const sys = mockEval({ Type: 'system', Priority: 50 });
  broker.enqueueAll([svc, sys]);
  assert.equal((await mustDequeue(broker, ['service', 'system'])).eval, sys);
  done();
});

test('dequeue blocks, then wakes when an eval for one of its schedulers is enqueued', async () => {
  const { broker, done } = setup();
  const waiting = broker.dequeue(['service', 'batch'], 0);
  assert.equal(await settled(waiting), false);

  broker.enqueue(mockEval({ Type: 'system' }));
  assert.equal(await settled(waiting), false, 'a system eval must not wake a service/batch dequeuer');

  const batch = mockEval({ Type: 'batch' });
  broker.enqueue(batch);
  const d = await waiting;
  assert.equal(d?.eval, batch);
  assert.equal(broker.outstanding(batch.ID), d.token);
  assert.deepEqual(broker.stats().byScheduler.batch, { ready: 0, unacked: 1 });
  done();
});

test('the longest-waiting dequeuer is served first', async () => {
  const { broker, done } = setup();
  const first = broker.dequeue(['service'], 0);
  const second = broker.dequeue(['service'], 0);
  const e = mockEval();
  broker.enqueue(e);
  assert.equal((await first)?.eval, e);
  assert.equal(await settled(second), false);
  broker.enqueue(mockEval());
  assert.ok(await second);
  done();
});

test('dequeue timeout resolves undefined at the deadline; abort resolves undefined at once', async () => {
  const { broker, clock, done } = setup();
  const timed = broker.dequeue(['service'], 500);
  clock.advance(499);
  assert.equal(await settled(timed), false);
  clock.advance(1);
  assert.equal(await timed, undefined);
  assert.equal(clock.pendingTimers, 0, 'the timeout timer is gone once it fired');

  const ac = new AbortController();
  const aborted = broker.dequeue(['service'], 60_000, ac.signal);
  ac.abort();
  assert.equal(await aborted, undefined);
  assert.equal(clock.pendingTimers, 0, 'an aborted dequeue cancels its timeout');

  // An eval enqueued after the waiters gave up stays ready for the next dequeue.
  broker.enqueue(mockEval());
  assert.equal(broker.stats().totalReady, 1);
  done();
});

test('nack redelivers after 1 s, then after 20 s, then moves the eval to _failed', async () => {
  const { broker, clock, done } = setup();
  const e = mockEval({ JobID: 'flaky' });
  broker.enqueue(e);

  const d1 = await mustDequeue(broker);
  broker.nack(e.ID, d1.token);
  assert.equal(broker.stats().totalWaiting, 1);
  const sameJob = mockEval({ JobID: 'flaky' });
  broker.enqueue(sameJob);
  assert.equal(broker.stats().totalPending, 1, 'the job stays serialized during the back-off');
  clock.advance(999);
  assert.equal(await dequeueNow(broker), undefined);
  clock.advance(1);

  const d2 = await mustDequeue(broker);
  assert.equal(d2.eval, e);
  assert.notEqual(d2.token, d1.token, 'each delivery has its own token');
  broker.nack(e.ID, d2.token);
  clock.advance(19_999);
  assert.equal(await dequeueNow(broker), undefined);
  clock.advance(1);

  const d3 = await mustDequeue(broker);
  assert.equal(d3.eval, e);
  broker.nack(e.ID, d3.token);
  assert.equal(await dequeueNow(broker), undefined, 'after the delivery limit it is not redelivered to schedulers');
  assert.deepEqual(broker.failedEvals(), [e]);
  assert.deepEqual(broker.stats().byScheduler[FAILED_QUEUE], { ready: 1, unacked: 0 });

  // The leader's reaper takes it from _failed, writes it failed, then acks; the job's pending eval follows.
  const failed = await mustDequeue(broker, [FAILED_QUEUE]);
  assert.equal(failed.eval, e);
  assert.equal(await dequeueNow(broker), undefined, 'still serialized until the failed eval is acked');
  broker.ack(e.ID, failed.token);
  assert.equal((await mustDequeue(broker)).eval, sameJob);
  done();
});

test('failedFollowUpEval builds the retry Nomad writes next to a failed eval', () => {
  const e = mockEval({ JobID: 'flaky', Priority: 70, JobModifyIndex: 12 });
  const now = 1_700_000_000_000_000_000;
  const f = failedFollowUpEval(e, () => 0.5, now);
  assert.ok(f);
  assert.equal(f.TriggeredBy, 'failed-follow-up');
  assert.equal(f.Status, 'pending');
  assert.equal(f.Wait, (60 + 150) * SECOND, '1 m baseline + half of the 5 m range');
  assert.deepEqual([f.JobID, f.Namespace, f.Priority, f.Type, f.JobModifyIndex, f.PreviousEval], [e.JobID, e.Namespace, 70, e.Type, 12, e.ID]);
  assert.equal(f.CreateTime, now);
  assert.notEqual(f.ID, e.ID);
  assert.equal(failedFollowUpEval(e, () => 0, now)?.Wait, 60 * SECOND);
  assert.equal(failedFollowUpEval(mockEval({ Type: '_core' }), () => 0.5, now), undefined, 'core evals get no follow-up');
});

test('an unacked eval is nacked automatically after 60 s unless outstandingReset is called', async () => {
  const { broker, clock, done } = setup();
  const e = mockEval();
  broker.enqueue(e);
  const d = await mustDequeue(broker);

  clock.advance(59_999);
  broker.outstandingReset(e.ID, d.token);
  clock.advance(59_999);
  assert.equal(broker.outstanding(e.ID), d.token, 'the reset restarted the full timeout');
  clock.advance(1);
  assert.equal(broker.outstanding(e.ID), undefined);
  assert.equal(broker.stats().totalWaiting, 1, 'the automatic nack starts the 1 s back-off');
  assert.throws(() => broker.ack(e.ID, d.token), NotOutstandingError);
  assert.throws(() => broker.outstandingReset(e.ID, d.token), NotOutstandingError);
  clock.advance(1_000);
  assert.equal((await mustDequeue(broker)).eval, e);
  done();
});

test('pauseNackTimeout holds the nack timer until resumeNackTimeout', async () => {
  const { broker, clock, done } = setup();
  const e = mockEval();
  broker.enqueue(e);
  const d = await mustDequeue(broker);
  broker.pauseNackTimeout(e.ID, d.token);
  clock.advance(10 * 60_000);
  broker.outstandingReset(e.ID, d.token); // must not re-arm while paused
  clock.advance(10 * 60_000);
  assert.equal(broker.outstanding(e.ID), d.token);
  broker.resumeNackTimeout(e.ID, d.token);
  clock.advance(59_999);
  assert.equal(broker.outstanding(e.ID), d.token);
  clock.advance(1);
  assert.equal(broker.outstanding(e.ID), undefined);
  done();
});

test('ack and nack with a wrong token are rejected and leave the delivery outstanding', async () => {
  const { broker, done } = setup();
  const e = mockEval();
  broker.enqueue(e);
  const d = await mustDequeue(broker);
  assert.throws(() => broker.ack(e.ID, 'not-the-token'), TokenMismatchError);
  assert.throws(() => broker.nack(e.ID, 'not-the-token'), TokenMismatchError);
  assert.throws(() => broker.pauseNackTimeout(e.ID, 'not-the-token'), TokenMismatchError);
  assert.throws(() => broker.ack('no-such-eval', d.token), NotOutstandingError);
  assert.equal(broker.outstanding(e.ID), d.token);
  broker.ack(e.ID, d.token);
  assert.equal(broker.outstanding(e.ID), undefined);
  assert.throws(() => broker.ack(e.ID, d.token), NotOutstandingError, 'a second ack is rejected');
  assert.equal(broker.stats().totalUnacked, 0);
  done();
});

test('on ack the job’s pending evals collapse to the best one; the rest are cancelable', async () => {
  let wakeups = 0;
  const { broker, done } = setup({ onCancelable: () => (wakeups += 1) });
  const running = mockEval({ JobID: 'web', ModifyIndex: 1 });
  broker.enqueue(running);
  const d = await mustDequeue(broker);

  const older = mockEval({ JobID: 'web', Priority: 50, ModifyIndex: 5 });
  const newest = mockEval({ JobID: 'web', Priority: 50, ModifyIndex: 9 });
  const lowPrio = mockEval({ JobID: 'web', Priority: 40, ModifyIndex: 20 });
  broker.enqueueAll([older, newest, lowPrio]);
  assert.equal(broker.stats().totalPending, 3);

  broker.ack(running.ID, d.token);
  assert.equal(wakeups, 1);
  assert.deepEqual(broker.stats(), { totalReady: 1, totalUnacked: 0, totalPending: 0, totalWaiting: 0, totalCancelable: 2, byScheduler: { service: { ready: 1, unacked: 0 } } });
  assert.equal((await mustDequeue(broker)).eval, newest, 'highest priority, then newest ModifyIndex survives');

  assert.deepEqual(broker.takeCancelable(1), [older]);
  assert.deepEqual(broker.takeCancelable(), [lowPrio]);
  assert.deepEqual(broker.takeCancelable(), []);
  assert.equal(CANCELABLE_BATCH_SIZE, 728);
  // A canceled eval is forgotten: if it came back it would be enqueued afresh, not deduplicated.
  broker.enqueue(older);
  assert.equal(broker.stats().totalPending, 1);
  done();
});

test('Wait delays an eval by its duration; WaitUntil until its wall-clock time', async () => {
  const { broker, clock, done } = setup();
  const waited = mockEval({ Wait: 5 * SECOND });
  const until = mockEval({ WaitUntil: goTime(START + 30_000) });
  const past = mockEval({ WaitUntil: goTime(START - 1_000) });
  const zero = mockEval({ WaitUntil: '0001-01-01T00:00:00Z' });
  broker.enqueueAll([waited, until, past, zero]);
  assert.equal(broker.stats().totalWaiting, 2);
  assert.equal(broker.stats().totalReady, 2, 'a past WaitUntil and the zero time are ready at once');
  await mustDequeue(broker);
  await mustDequeue(broker);

  clock.advance(4_999);
  assert.equal(await dequeueNow(broker), undefined);
  clock.advance(1);
  assert.equal((await mustDequeue(broker)).eval, waited);
  clock.advance(24_999);
  assert.equal(await dequeueNow(broker), undefined);
  clock.advance(1);
  assert.equal((await mustDequeue(broker)).eval, until);
  assert.equal(broker.stats().totalWaiting, 0);

  broker.enqueue(waited);
  assert.equal(broker.stats().totalWaiting, 0, 'an outstanding eval enqueued again is a no-op');
  done();
});

test('a waiting dequeuer is woken when a delayed eval comes due', async () => {
  const { broker, clock, done } = setup();
  const waiting = broker.dequeue(['service'], 0);
  const e = mockEval({ Wait: 2 * SECOND });
  broker.enqueue(e);
  clock.advance(2_000);
  assert.equal((await waiting)?.eval, e);
  done();
});

test('disabling flushes every eval and timer and rejects waiting dequeues', async () => {
  const { broker, clock } = setup();
  broker.enqueue(mockEval({ JobID: 'a' }));
  const d = await mustDequeue(broker);
  broker.enqueueAll([mockEval({ JobID: 'a' }), mockEval({ JobID: 'b', Type: 'batch' }), mockEval({ Wait: 10 * SECOND }), mockEval({ WaitUntil: goTime(START + 60_000) })]);
  broker.requeue(mockEval({ ID: d.eval.ID }), d.token);
  const waiting = broker.dequeue(['system'], 30_000);
  assert.ok(clock.pendingTimers > 0);

  broker.setEnabled(false);
  await assert.rejects(waiting, BrokerDisabledError);
  assert.equal(clock.pendingTimers, 0);
  assert.deepEqual(broker.stats(), { totalReady: 0, totalUnacked: 0, totalPending: 0, totalWaiting: 0, totalCancelable: 0, byScheduler: {} });
  assert.equal(broker.outstanding(d.eval.ID), undefined);
  await assert.rejects(broker.dequeue(['service'], 0), BrokerDisabledError);
  broker.enqueue(mockEval());
  assert.equal(broker.stats().totalReady, 0, 'enqueue is a no-op while disabled');

  broker.setEnabled(true);
  assert.equal(await dequeueNow(broker), undefined, 'nothing survives a leadership change');
  clock.advance(120_000);
  assert.equal(broker.stats().totalReady, 0, 'no flushed timer fires later');
  broker.setEnabled(false);
});

test('requeue holds a re-blocked eval until the ack, and a nack drops it', async () => {
  const { broker, clock, done } = setup();
  const e = mockEval({ JobID: 'web', Status: 'pending' });
  broker.enqueue(e);
  const d1 = await mustDequeue(broker);
  const reblocked: Evaluation = { ...e, Status: 'pending', StatusDescription: 'unblocked' };
  assert.equal(broker.requeue(reblocked, 'wrong-token'), false);
  assert.equal(broker.requeue(reblocked, d1.token), true);
  assert.equal(broker.stats().totalReady, 0, 'not enqueued before the ack');
  broker.ack(e.ID, d1.token);
  const d2 = await mustDequeue(broker);
  assert.equal(d2.eval, reblocked);

  broker.requeue({ ...reblocked }, d2.token);
  broker.nack(e.ID, d2.token);
  clock.advance(1_000);
  const d3 = await mustDequeue(broker);
  assert.equal(d3.eval, reblocked, 'the nacked delivery itself is redelivered');
  broker.ack(e.ID, d3.token);
  assert.equal(broker.stats().totalReady, 0, 'the requeue was dropped by the nack');
  assert.equal(broker.requeue(reblocked, d3.token), false, 'not outstanding any more');
  done();
});

test('stats count ready, unacked, pending, waiting and cancelable per scheduler', async () => {
  const { broker, done } = setup();
  assert.deepEqual(DEFAULT_EVAL_BROKER_CONFIG, { nackTimeoutMs: 60_000, deliveryLimit: 3, initialNackDelayMs: 1_000, subsequentNackDelayMs: 20_000, failedFollowUpBaselineMs: 60_000, failedFollowUpRangeMs: 300_000 });
  const svc = mockEval({ JobID: 'web' });
  broker.enqueueAll([svc, mockEval({ JobID: 'web' }), mockEval({ Type: 'batch' }), mockEval({ Type: 'batch' }), mockEval({ Type: '_core' }), mockEval({ Wait: SECOND })]);
  await mustDequeue(broker);
  await mustDequeue(broker, ['batch']);
  assert.deepEqual(broker.stats(), {
    totalReady: 2,
    totalUnacked: 2,
    totalPending: 1,
    totalWaiting: 1,
    totalCancelable: 0,
    byScheduler: { service: { ready: 0, unacked: 1 }, batch: { ready: 1, unacked: 1 }, _core: { ready: 1, unacked: 0 } },
  });
  done();
});

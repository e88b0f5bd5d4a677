import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../state/clock.js';
import type { Evaluation } from '../structs/eval.js';
import { mockEval } from '../structs/mock.js';
import type { Unblocked } from './blocked-evals.js';
import { BlockedEvals, duplicateBlockedDescription } from './blocked-evals.js';
import { EvalBroker } from './eval-broker.js';

function blocked(over: Partial<Evaluation> = {}): Evaluation {
  return mockEval({ Status: 'blocked', TriggeredBy: 'queued-allocs', ...over });
}

function setup(broker: { requeue(e: Evaluation, token: string): boolean } = { requeue: () => false }) {
  const clock = new ManualClock(Date.parse('2025-03-01T12:00:00Z'));
  const batches: Unblocked[] = [];
  let duplicateWakeups = 0;
  const tracker = new BlockedEvals({ broker, clock, onUnblock: (u) => batches.push(u), onDuplicates: () => (duplicateWakeups += 1) });
  tracker.setEnabled(true);
  /** IDs released since the last call, sorted, checking each keeps Status "blocked" (as Nomad's released evals do). */
  const released = (): string[] => {
    const out = batches.flatMap((b) => [...b.enqueue, ...b.requeued]);
    batches.length = 0;
    for (const e of out) assert.equal(e.Status, 'blocked');
    return out.map((e) => e.ID).sort();
  };
  const done = (): void => {
    tracker.setEnabled(false);
    assert.equal(clock.pendingTimers, 0, 'timers left after setEnabled(false)');
  };
  return { tracker, clock, batches, released, done, duplicateWakeups: () => duplicateWakeups };
}

const ids = (...evals: Evaluation[]): string[] => evals.map((e) => e.ID).sort();

test('unblock by class releases evals that found the class eligible or never saw it, plus escaped evals', () => {
  const { tracker, released, done } = setup();
  const eligibleC1 = blocked({ ClassEligibility: { c1: true, c2: false } });
  const eligibleC2 = blocked({ ClassEligibility: { c2: true } });
  const unseen = blocked({ ClassEligibility: null });
  const escaped = blocked({ EscapedComputedClass: true, ClassEligibility: { c2: false } });
  for (const e of [eligibleC1, eligibleC2, unseen, escaped]) tracker.block(e);
  assert.deepEqual(tracker.stats(), { totalBlocked: 4, totalEscaped: 1, totalSystem: 0, totalDuplicates: 0 });

  tracker.unblock('c2', 10);
  assert.deepEqual(released(), ids(eligibleC2, unseen, escaped), 'c2 is ineligible for the first eval, escaped evals go on any change');
  assert.equal(eligibleC1.Status, 'blocked', 'the tracked eval itself is not mutated');
  assert.deepEqual(tracker.stats().totalBlocked, 1);

  tracker.unblock('c3', 11);
  assert.deepEqual(released(), ids(eligibleC1), 'a class it never saw may fit it');
  tracker.unblock('c1', 12);
  assert.deepEqual(released(), [], 'released evals are no longer tracked');
  done();
});

test('unblockNode releases the system evals blocked on that node only', () => {
  const { tracker, released, done } = setup();
  const onN1 = blocked({ Type: 'system', NodeID: 'n1', ClassEligibility: { c1: false } });
  const onN2 = blocked({ Type: 'system', NodeID: 'n2', ClassEligibility: { c1: false } });
  const service = blocked({ ClassEligibility: { c1: false } });
  for (const e of [onN1, onN2, service]) tracker.block(e);
  assert.equal(tracker.stats().totalSystem, 2);

  tracker.unblockNode('n3', 5);
  assert.deepEqual(released(), []);
  tracker.unblockNode('n1', 6);
  assert.deepEqual(released(), ids(onN1));
  assert.deepEqual(tracker.stats(), { totalBlocked: 2, totalEscaped: 0, totalSystem: 1, totalDuplicates: 0 });

  tracker.unblock('c2', 7);
  assert.deepEqual(released(), ids(onN2, service), 'system evals are captured by class too');
  assert.equal(tracker.stats().totalSystem, 0, 'released by class, it leaves the node index');
  tracker.unblockNode('n2', 8);
  assert.deepEqual(released(), []);
  done();
});

test('one blocked eval per job: the newer replaces the older, which becomes a duplicate', () => {
  const { tracker, released, done, duplicateWakeups } = setup();
  const older = blocked({ JobID: 'web', CreateIndex: 10 });
  const newer = blocked({ JobID: 'web', CreateIndex: 12 });
  const stale = blocked({ JobID: 'web', CreateIndex: 5, SnapshotIndex: 6 });
  const otherNamespace = blocked({ JobID: 'web', Namespace: 'prod', CreateIndex: 1 });

  tracker.block(older);
  tracker.block(newer);
  assert.equal(duplicateWakeups(), 1);
  tracker.block(stale);
  tracker.block(otherNamespace);
  assert.deepEqual(tracker.stats(), { totalBlocked: 2, totalEscaped: 0, totalSystem: 0, totalDuplicates: 2 });
  assert.deepEqual(tracker.takeDuplicates(), [older, stale], 'a newcomer older than the tracked eval is itself the duplicate');
  assert.deepEqual(tracker.takeDuplicates(), []);
  assert.equal(duplicateBlockedDescription('web'), 'existing blocked evaluation exists for job "web"');

  tracker.block({ ...newer, ClassEligibility: { c1: false } });
  assert.deepEqual(tracker.takeDuplicates(), [], 'blocking the same eval again replaces it, it is not its own duplicate');
  tracker.unblock('c1', 20);
  assert.deepEqual(released(), ids(otherNamespace), 'the replacement’s class eligibility applies');

  const escapedNewer = blocked({ JobID: 'web', CreateIndex: 30, SnapshotIndex: 30, EscapedComputedClass: true });
  tracker.block(escapedNewer);
  assert.equal(tracker.takeDuplicates()[0]?.ID, newer.ID);
  assert.deepEqual(tracker.stats(), { totalBlocked: 1, totalEscaped: 1, totalSystem: 0, totalDuplicates: 0 });
  done();
});

test('missed unblock: an eval computed before a relevant unblock is released at once', () => {
  const { tracker, released, done } = setup();
  tracker.unblock('c1', 20);
  tracker.unblockNode('n1', 20);

  const sawC1Eligible = blocked({ SnapshotIndex: 15, ClassEligibility: { c1: true } });
  const neverSawC1 = blocked({ SnapshotIndex: 15, ClassEligibility: { c9: true } });
  const escaped = blocked({ SnapshotIndex: 15, EscapedComputedClass: true });
  const systemOnN1 = blocked({ Type: 'system', NodeID: 'n1', SnapshotIndex: 15, ClassEligibility: { c1: false } });
  const ineligible = blocked({ SnapshotIndex: 15, ClassEligibility: { c1: false } });
  const afterUnblock = blocked({ SnapshotIndex: 25, ClassEligibility: { c1: true } });
  const atUnblock = blocked({ SnapshotIndex: 20, EscapedComputedClass: true });
  for (const e of [sawC1Eligible, neverSawC1, escaped, systemOnN1, ineligible, afterUnblock, atUnblock]) tracker.block(e);

  assert.deepEqual(released(), ids(sawC1Eligible, neverSawC1, escaped, systemOnN1));
  assert.equal(tracker.stats().totalBlocked, 3, 'an ineligible class, or a snapshot at or after the unblock, keeps the eval blocked');
  done();
});

test('untrack drops the job’s blocked eval without releasing it', () => {
  const { tracker, released, done } = setup();
  const e = blocked({ JobID: 'web', Namespace: 'prod' });
  const escaped = blocked({ JobID: 'api', EscapedComputedClass: true });
  tracker.block(e);
  tracker.block(escaped);
  assert.deepEqual(tracker.untrack('default', 'web'), [], 'the namespace is part of the job identity');
  assert.deepEqual(tracker.untrack('prod', 'web'), [e]);
  assert.deepEqual(tracker.untrack('default', 'api'), [escaped]);
  tracker.unblock('c1', 5);
  assert.deepEqual(released(), []);
  assert.equal(tracker.stats().totalBlocked, 0);
  // A new blocked eval for the untracked job is tracked afresh, with no duplicate.
  tracker.block(blocked({ JobID: 'web', Namespace: 'prod', SnapshotIndex: 9 }));
  assert.deepEqual(tracker.takeDuplicates(), []);
  done();
});

test('unblockFailed releases only max-plan-attempts evals', () => {
  const { tracker, released, done } = setup();
  const maxPlans = blocked({ TriggeredBy: 'max-plan-attempts', ClassEligibility: { c1: false } });
  const escapedMaxPlans = blocked({ TriggeredBy: 'max-plan-attempts', EscapedComputedClass: true });
  const queued = blocked({ TriggeredBy: 'queued-allocs' });
  for (const e of [maxPlans, escapedMaxPlans, queued]) tracker.block(e);
  tracker.unblockFailed();
  assert.deepEqual(released(), ids(maxPlans, escapedMaxPlans));
  assert.deepEqual(tracker.stats(), { totalBlocked: 1, totalEscaped: 0, totalSystem: 0, totalDuplicates: 0 });
  done();
});

test('a reblocked eval released while still outstanding goes to broker.requeue and runs after the ack', async () => {
  const clock = new ManualClock(0);
  const broker = new EvalBroker({ clock });
  broker.setEnabled(true);
  const { tracker, batches, done } = setup(broker);

  const e = blocked({ JobID: 'web', Status: 'pending' });
  broker.enqueue(e);
  const d = await broker.dequeue(['service'], 0);
  assert.ok(d);
  // The scheduler could not place everything and re-blocks the eval it is processing.
  tracker.reblock({ ...e, Status: 'blocked' }, d.token);
  tracker.unblock('c1', 10);
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0]?.enqueue, []);
  assert.equal(batches[0]?.requeued[0]?.ID, e.ID);
  assert.equal(broker.stats().totalReady, 0);

  broker.ack(e.ID, d.token);
  const again = await broker.dequeue(['service'], 0);
  assert.equal(again?.eval.ID, e.ID);
  assert.equal(again.eval.Status, 'blocked');
  broker.ack(e.ID, again.token);

  // Released after its delivery ended: the server enqueues it itself.
  tracker.reblock({ ...e, Status: 'blocked', SnapshotIndex: 20 }, again.token);
  tracker.unblock('c1', 30);
  assert.equal(batches[1]?.enqueue[0]?.ID, e.ID);
  assert.deepEqual(batches[1]?.requeued, []);
  done();
  broker.setEnabled(false);
  assert.equal(clock.pendingTimers, 0);
});

test('unblock indexes older than 15 minutes are pruned every 5 minutes', () => {
  const { tracker, clock, released, done } = setup();
  tracker.unblock('c1', 20);
  clock.advance(15 * 60_000);
  const first = blocked({ SnapshotIndex: 10, ClassEligibility: { c1: true } });
  tracker.block(first);
  assert.deepEqual(released(), ids(first), 'a 15-minute-old unblock still counts');

  clock.advance(5 * 60_000);
  const second = blocked({ SnapshotIndex: 10, ClassEligibility: { c1: true } });
  tracker.block(second);
  assert.deepEqual(released(), [], 'pruned at the 20-minute sweep');
  assert.equal(tracker.stats().totalBlocked, 1);
  done();
});

test('a disabled tracker ignores blocks and disabling forgets everything', () => {
  const { tracker, clock, released } = setup();
  tracker.block(blocked({ JobID: 'a' }));
  tracker.block(blocked({ JobID: 'a', CreateIndex: 50 }));
  tracker.unblock('c1', 1_000);
  tracker.block(blocked({ JobID: 'b', SnapshotIndex: 2_000 }));
  released();
  tracker.setEnabled(false);
  assert.deepEqual(tracker.stats(), { totalBlocked: 0, totalEscaped: 0, totalSystem: 0, totalDuplicates: 0 });
  assert.equal(clock.pendingTimers, 0);

  tracker.block(blocked());
  assert.equal(tracker.stats().totalBlocked, 0);
  tracker.setEnabled(true);
  const e = blocked({ SnapshotIndex: 5 });
  tracker.block(e);
  assert.deepEqual(released(), [], 'unblock indexes from the previous term are gone');
  assert.equal(tracker.stats().totalBlocked, 1);
  tracker.setEnabled(false);
});

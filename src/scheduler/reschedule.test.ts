// Rescheduling of failed allocations: now vs later, follow-up evaluation batching, each delay
// function, attempts within the interval, unlimited policies and the reschedule tracker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Allocation, Job, RescheduleEvent, ReschedulePolicy } from '../structs/index.js';
import { HOUR, MINUTE, SECOND, goTime, msToNanos } from '../structs/index.js';
import { mockJob, mockTaskState } from '../structs/mock.js';
import { Harness } from './harness.js';
import { nextDelay, nextRescheduleTime } from './reschedule.js';
import { NOW, evalFor, nodes, placed, running, stopped } from './testing.js';

function failedAt(a: Allocation, ms: number, events: RescheduleEvent[] | null = null): Allocation {
  return { ...a, ClientStatus: 'failed', TaskStates: { web: mockTaskState({ State: 'dead', Failed: true, FinishedAt: goTime(ms) }) }, RescheduleTracker: events === null ? null : { Events: events } };
}

function jobWith(policy: Partial<ReschedulePolicy>, type = 'service'): Job {
  const job = mockJob({ ID: 'web', Type: type });
  job.TaskGroups[0]!.Count = 2;
  job.TaskGroups[0]!.ReschedulePolicy = { Attempts: 0, Interval: 0, Delay: 30 * SECOND, DelayFunction: 'exponential', MaxDelay: HOUR, Unlimited: true, ...policy };
  return job;
}

const ev = (delay: number, ago = 0): RescheduleEvent => ({ RescheduleTime: msToNanos(NOW - ago), PrevAllocID: 'x', PrevNodeID: 'n', Delay: delay });

describe('reschedule delays', () => {
  const alloc = (policy: Partial<ReschedulePolicy>, events: RescheduleEvent[] | null): Allocation => failedAt(running(jobWith(policy), nodes(1), 1)[0]!, NOW, events);
  it('constant delay is always the policy delay', () => {
    assert.equal(nextDelay(alloc({ DelayFunction: 'constant', Delay: 5 * SECOND }, [ev(5 * SECOND), ev(5 * SECOND)])), 5 * SECOND);
  });
  it('exponential delay doubles the last delay', () => {
    assert.equal(nextDelay(alloc({}, null)), 30 * SECOND);
    assert.equal(nextDelay(alloc({}, [ev(30 * SECOND), ev(60 * SECOND)])), 120 * SECOND);
  });
  it('fibonacci delay sums the last two delays', () => {
    assert.equal(nextDelay(alloc({ DelayFunction: 'fibonacci', Delay: 5 * SECOND }, [ev(5 * SECOND)])), 5 * SECOND);
    assert.equal(nextDelay(alloc({ DelayFunction: 'fibonacci', Delay: 5 * SECOND }, [ev(5 * SECOND), ev(10 * SECOND)])), 15 * SECOND);
  });
  it('max_delay caps the delay, and a long run since the last reschedule resets it', () => {
    assert.equal(nextDelay(alloc({ MaxDelay: MINUTE }, [ev(40 * SECOND)])), MINUTE);
    assert.equal(nextDelay(alloc({ MaxDelay: MINUTE }, [ev(40 * SECOND, 2 * 60_000)])), 30 * SECOND);
  });
  it('attempts within the interval limit eligibility', () => {
    const a = alloc({ Unlimited: false, Attempts: 1, Interval: HOUR, DelayFunction: 'constant' }, [ev(30 * SECOND, 60_000)]);
    assert.equal(nextRescheduleTime(a).eligible, false);
    const b = alloc({ Unlimited: false, Attempts: 1, Interval: HOUR, DelayFunction: 'constant' }, [ev(30 * SECOND, 2 * 3_600_000)]);
    assert.equal(nextRescheduleTime(b).eligible, true);
  });
  it('a policy with no attempts and not unlimited never reschedules', () => {
    assert.equal(nextRescheduleTime(alloc({ Unlimited: false, Attempts: 0 }, null)).eligible, false);
  });
});

describe('rescheduling through the scheduler', () => {
  it('a failed alloc whose delay has passed is rescheduled now, stopped and replaced with history', async () => {
    const job = jobWith({});
    const ns = nodes(3);
    const allocs = running(job, ns, 2);
    allocs[0] = failedAt(allocs[0]!, NOW - 60_000);
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'alloc-failure' }));
    const stops = stopped(h.plans[0]);
    assert.equal(stops.length, 1);
    assert.equal(stops[0]?.DesiredDescription, 'alloc was rescheduled because it failed');
    const repl = placed(h.plans[0]).find((a) => a.PreviousAllocation === allocs[0]!.ID);
    assert.ok(repl);
    assert.equal(repl.Name, allocs[0]!.Name);
    assert.equal(repl.RescheduleTracker?.Events?.length, 1);
    assert.equal(repl.RescheduleTracker?.Events?.[0]?.PrevNodeID, allocs[0]!.NodeID);
    assert.equal(repl.RescheduleTracker?.Events?.[0]?.Delay, 30 * SECOND);
    assert.equal(repl.Metrics?.ScoreMetaData?.find((s) => s.NodeID === allocs[0]!.NodeID)?.Scores['node-reschedule-penalty'] ?? -1, -1);
  });

  it('a failed alloc whose delay has not passed gets a follow-up eval (alloc-failure, WaitUntil) and its FollowupEvalID', async () => {
    const job = jobWith({});
    const ns = nodes(3);
    const allocs = running(job, ns, 2);
    allocs[0] = failedAt(allocs[0]!, NOW);
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'alloc-failure', AnnotatePlan: true }));
    const f = h.createdEvals.find((e) => e.TriggeredBy === 'alloc-failure');
    assert.ok(f);
    assert.equal(f.WaitUntil, goTime(NOW + 30_000));
    assert.equal(f.Status, 'pending');
    assert.equal(f.PreviousEval, h.lastEval()?.ID);
    assert.equal(h.lastEval()?.NextEval, f.ID);
    const upd = placed(h.plans[0]).find((a) => a.ID === allocs[0]!.ID);
    assert.equal(upd?.FollowupEvalID, f.ID);
    assert.equal(h.plans[0]?.Annotations?.DesiredTGUpdates['web']?.RescheduleLater, 1);
    assert.equal(stopped(h.plans[0]).length, 0);
  });

  it('failures within 5 s share one follow-up eval; further apart they get separate ones', async () => {
    const job = jobWith({ DelayFunction: 'constant' });
    job.TaskGroups[0]!.Count = 3;
    const ns = nodes(3);
    const allocs = running(job, ns, 3);
    allocs[0] = failedAt(allocs[0]!, NOW);
    allocs[1] = failedAt(allocs[1]!, NOW + 2_000);
    allocs[2] = failedAt(allocs[2]!, NOW + 10_000);
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'alloc-failure' }));
    const followups = h.createdEvals.filter((e) => e.TriggeredBy === 'alloc-failure');
    assert.equal(followups.length, 2);
    const ids = placed(h.plans[0]).map((a) => a.FollowupEvalID);
    assert.equal(ids[0], ids[1]);
    assert.notEqual(ids[1], ids[2]);
  });

  it('the follow-up eval reschedules its allocs even before the delay', async () => {
    const job = jobWith({});
    const ns = nodes(3);
    const allocs = running(job, ns, 2);
    allocs[0] = { ...failedAt(allocs[0]!, NOW), FollowupEvalID: 'follow-up-eval' };
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(job, { ID: 'follow-up-eval', TriggeredBy: 'alloc-failure' }));
    assert.equal(placed(h.plans[0]).filter((a) => a.PreviousAllocation === allocs[0]!.ID).length, 1);
  });

  it('a batch alloc out of attempts in the interval is not replaced', async () => {
    const job = jobWith({ Unlimited: false, Attempts: 1, Interval: 24 * HOUR, Delay: 5 * SECOND, DelayFunction: 'constant' }, 'batch');
    job.TaskGroups[0]!.Count = 1;
    const ns = nodes(2);
    const a = failedAt(running(job, ns, 1)[0]!, NOW - 60_000, [ev(5 * SECOND, 120_000)]);
    const h = new Harness({ jobs: [job], nodes: ns, allocs: [a] }, { now: NOW });
    await h.process('batch', evalFor(job, { TriggeredBy: 'alloc-failure' }));
    assert.equal(h.plans.length, 0);
    assert.equal(h.createdEvals.length, 0);
  });

  it('unlimited policies keep only the last 5 reschedule events', async () => {
    const job = jobWith({ DelayFunction: 'constant' });
    job.TaskGroups[0]!.Count = 1;
    const ns = nodes(2);
    const a = failedAt(running(job, ns, 1)[0]!, NOW - HOUR / 1e6, Array.from({ length: 7 }, () => ev(30 * SECOND, 7_200_000)));
    const h = new Harness({ jobs: [job], nodes: ns, allocs: [a] }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'alloc-failure' }));
    assert.equal(placed(h.plans[0])[0]?.RescheduleTracker?.Events?.length, 6);
  });
});

// Rescheduling failed allocations: the reschedule policy's delay functions (constant,
// exponential, fibonacci, capped by max_delay and reset after a long run), eligibility by
// attempts within the interval (or unlimited), the split of failed allocs into "reschedule now"
// (due within 1 s, or this eval is their follow-up) and "later" (a follow-up eval at WaitUntil),
// and the RescheduleTracker history carried by the replacement. Times are Unix nanoseconds.
import type { Allocation, Deployment, RescheduleEvent, ReschedulePolicy } from '../structs/index.js';
import { SECOND, isActiveDeployment, isClientTerminal, isTerminalAlloc, lookupTaskGroup, parseGoTime } from '../structs/index.js';
import type { AllocSet } from './alloc-set.js';

export const RESCHEDULE_WINDOW = 1 * SECOND;
export const BATCHED_FAILED_ALLOC_WINDOW = 5 * SECOND;
export const MAX_PAST_RESCHEDULE_EVENTS = 5;
export const LAST_RESCHEDULE_SUCCESS = 'ok';
export const LAST_RESCHEDULE_FAILED_TO_PLACE = 'no placement';

export function reschedulePolicyOf(a: Allocation): ReschedulePolicy | null {
  if (a.Job === null) return null;
  return lookupTaskGroup(a.Job, a.TaskGroup)?.ReschedulePolicy ?? null;
}

/** When the alloc failed: the latest task FinishedAt, else its ModifyTime. */
export function lastEventTime(a: Allocation): number {
  let last = 0;
  for (const s of Object.values(a.TaskStates ?? {})) {
    const t = parseGoTime(s.FinishedAt) * 1_000_000;
    if (t > last) last = t;
  }
  return last === 0 ? a.ModifyTime : last;
}

export function lastRescheduleFailed(a: Allocation): boolean {
  return a.RescheduleTracker?.LastReschedule === LAST_RESCHEDULE_FAILED_TO_PLACE;
}

/** Every task finished without failing. */
export function ranSuccessfully(a: Allocation): boolean {
  const states = Object.values(a.TaskStates ?? {});
  return states.length > 0 && states.every((s) => s.State === 'dead' && !s.Failed);
}

/** The delay before the next reschedule (Nomad's Allocation.NextDelay). */
export function nextDelay(a: Allocation): number {
  const policy = reschedulePolicyOf(a);
  if (policy === null) return 0;
  const events = a.RescheduleTracker?.Events ?? [];
  const last = events[events.length - 1];
  if (last === undefined) return policy.Delay;
  let delay = policy.Delay;
  switch (policy.DelayFunction) {
    case 'exponential':
      delay = last.Delay * 2;
      break;
    case 'fibonacci': {
      const prev = events[events.length - 2];
      if (prev !== undefined) delay = prev.Delay === policy.MaxDelay && last.Delay === policy.Delay ? last.Delay : last.Delay + prev.Delay;
      break;
    }
    default:
      return delay;
  }
  if (policy.MaxDelay > 0 && delay > policy.MaxDelay) {
    delay = policy.MaxDelay;
    if (lastEventTime(a) - last.RescheduleTime > delay) delay = policy.Delay;
  }
  return delay;
}

/** Reschedule attempts within the policy's interval before `failTime`. */
function attemptsInInterval(a: Allocation, policy: ReschedulePolicy, failTime: number): number {
  if (policy.Attempts <= 0) return 0;
  let n = 0;
  for (const e of a.RescheduleTracker?.Events ?? []) if (failTime - e.RescheduleTime < policy.Interval) n++;
  return n;
}

/** When the alloc may be rescheduled, and whether the policy still allows it. */
export function nextRescheduleTime(a: Allocation): { time: number; eligible: boolean } {
  const policy = reschedulePolicyOf(a);
  const failTime = lastEventTime(a);
  const isRescheduledBatch = a.Job?.Type === 'batch' && a.DesiredTransition.Reschedule === true;
  if (policy === null || (policy.Attempts === 0 && !policy.Unlimited)) return { time: 0, eligible: false };
  if ((a.DesiredStatus === 'stop' && !lastRescheduleFailed(a)) || (!isRescheduledBatch && a.ClientStatus !== 'failed' && a.ClientStatus !== 'lost') || failTime === 0) return { time: 0, eligible: false };
  const delay = nextDelay(a);
  const time = failTime + delay;
  let eligible = policy.Unlimited || (policy.Attempts > 0 && a.RescheduleTracker === null);
  if (policy.Attempts > 0 && a.RescheduleTracker !== null && a.RescheduleTracker.Events !== null) {
    eligible = attemptsInInterval(a, policy, failTime) < policy.Attempts && delay < policy.Interval;
  }
  return { time, eligible };
}

/** Nomad's shouldFilter: is the alloc untainted (counts, never rescheduled) or ignored? */
function shouldFilter(a: Allocation, isBatch: boolean): { untainted: boolean; ignore: boolean } {
  if (isBatch) {
    if (a.DesiredTransition.MigrateDisablePlacement === true) return { untainted: true, ignore: false };
    if (a.DesiredTransition.Reschedule === true) return { untainted: false, ignore: false };
    if (a.DesiredStatus === 'stop') {
      if (ranSuccessfully(a)) return { untainted: true, ignore: false };
      if (lastRescheduleFailed(a)) return { untainted: false, ignore: false };
      return { untainted: false, ignore: true };
    }
    if (a.DesiredStatus === 'evict') return { untainted: false, ignore: true };
    if (a.ClientStatus === 'failed') return { untainted: false, ignore: false };
    return { untainted: true, ignore: false };
  }
  if (a.DesiredStatus === 'stop' || a.DesiredStatus === 'evict') return { untainted: false, ignore: !lastRescheduleFailed(a) };
  if (a.ClientStatus === 'complete' || a.ClientStatus === 'lost') return { untainted: false, ignore: true };
  return { untainted: false, ignore: false };
}

export interface DelayedReschedule {
  alloc: Allocation;
  time: number;
}

export interface RescheduleSplit {
  untainted: AllocSet;
  now: AllocSet;
  later: DelayedReschedule[];
}

/** Splits allocations into untainted, reschedule-now and reschedule-later. */
export function filterByRescheduleable(set: AllocSet, isBatch: boolean, nowNs: number, evalID: string, deployment: Deployment | null): RescheduleSplit {
  const out: RescheduleSplit = { untainted: new Map(), now: new Map(), later: [] };
  for (const [id, a] of set) {
    if (a.NextAllocation !== '' && isTerminalAlloc(a)) continue;
    const { untainted, ignore } = shouldFilter(a, isBatch);
    if (untainted) {
      out.untainted.set(id, a);
      continue;
    }
    if (ignore) continue;
    let now = false;
    let later = false;
    let time = 0;
    const inActiveDeployment = deployment !== null && a.DeploymentID === deployment.ID && isActiveDeployment(deployment.Status) && a.DesiredTransition.Reschedule !== true;
    if (!inActiveDeployment) {
      if (a.DesiredTransition.ForceReschedule === true && isClientTerminal(a.ClientStatus)) now = true;
      const next = nextRescheduleTime(a);
      time = next.time;
      if (next.eligible && (a.FollowupEvalID === evalID || next.time - nowNs <= RESCHEDULE_WINDOW)) now = true;
      else if (next.eligible && a.FollowupEvalID === '') later = true;
    }
    if (now) {
      out.now.set(id, a);
      continue;
    }
    out.untainted.set(id, a);
    if (later) out.later.push({ alloc: a, time });
  }
  return out;
}

/** The replacement's reschedule history: recent events (within the interval, or the last 5 when unlimited) plus this one. */
export function rescheduleTrackerFor(prev: Allocation, nowNs: number): RescheduleEvent[] {
  const policy = reschedulePolicyOf(prev);
  const events: RescheduleEvent[] = [];
  const past = prev.RescheduleTracker?.Events ?? [];
  if (prev.RescheduleTracker !== null) {
    if (policy !== null && policy.Attempts > 0) {
      for (const e of past) if (policy.Interval > 0 && nowNs - e.RescheduleTime <= policy.Interval) events.push({ ...e });
    } else {
      for (const e of past.slice(Math.max(0, past.length - MAX_PAST_RESCHEDULE_EVENTS))) events.push({ ...e });
    }
  }
  events.push({ RescheduleTime: nowNs, PrevAllocID: prev.ID, PrevNodeID: prev.NodeID, Delay: nextDelay(prev) });
  return events;
}

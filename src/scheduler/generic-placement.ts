// Placing the generic scheduler's missing allocations: destructive replacements first (their old
// alloc is staged as stopped so its resources count as free), then new, lost, migrated and
// rescheduled ones — each through the stack, preferring the previous node for sticky/migrating
// ephemeral disks and penalising nodes where the previous alloc failed. Failures of one group
// coalesce into one AllocMetric.
import type { AllocMetric, Allocation, Job, Node } from '../structs/index.js';
import { allocIndexFromName, msToNanos, nodeReady } from '../structs/index.js';
import type { EvalContext } from './context.js';
import { readyNodesInDCsAndPool } from './feasibility.js';
import { exhaustResources } from './metrics.js';
import { appendAlloc, appendStoppedAlloc, popUpdate, type Plan } from './planner.js';
import type { PlaceResult, ReconcileResults } from './reconciler.js';
import { LAST_RESCHEDULE_FAILED_TO_PLACE, LAST_RESCHEDULE_SUCCESS, rescheduleTrackerFor } from './reschedule.js';
import { newAllocation } from './scheduler.js';
import type { Stack } from './select.js';
import type { StateView } from './state-view.js';

export interface PlacementContext {
  state: StateView;
  ctx: EvalContext;
  stack: Stack;
  plan: Plan;
  job: Job;
  evalID: string;
  deploymentID: string;
  nowMs: number;
  newID: () => string;
}

interface Missing {
  place: PlaceResult;
  /** Set for destructive updates: the alloc to stop first, and why. */
  stop: { alloc: Allocation; description: string } | null;
}

function penaltyNodes(prev: Allocation | null): Set<string> {
  const out = new Set<string>();
  if (prev === null) return out;
  if (prev.ClientStatus === 'failed') out.add(prev.NodeID);
  for (const e of prev.RescheduleTracker?.Events ?? []) out.add(e.PrevNodeID);
  return out;
}

function preferredNode(p: PlacementContext, place: PlaceResult): Node | null {
  const prev = place.previousAlloc;
  if (prev === null || prev.Job === null) return null;
  if (prev.Job.NodePool !== p.job.NodePool) return null;
  if (prev.Job.Datacenters.join('\0') !== p.job.Datacenters.join('\0')) return null;
  const disk = place.taskGroup.EphemeralDisk;
  if (!disk.Sticky && !disk.Migrate) return null;
  const node = p.state.nodeByID(prev.NodeID);
  return node !== null && nodeReady(node) ? node : null;
}

/** Replaces the staged copy of `original` (a stop or an update) with `updated`. */
function swapInPlan(plan: Plan, original: Allocation, updated: Allocation): boolean {
  for (const m of [plan.NodeUpdate, plan.NodeAllocation]) {
    const list = m[original.NodeID];
    const i = list?.findIndex((a) => a.ID === original.ID) ?? -1;
    if (list !== undefined && i >= 0) {
      list[i] = { ...updated, DesiredStatus: list[i]?.DesiredStatus ?? updated.DesiredStatus, DesiredDescription: list[i]?.DesiredDescription ?? updated.DesiredDescription, ClientStatus: list[i]?.ClientStatus ?? updated.ClientStatus };
      return true;
    }
  }
  return false;
}

function markFailedToReschedule(plan: Plan, original: Allocation, job: Job): void {
  const updated: Allocation = { ...original, RescheduleTracker: { Events: original.RescheduleTracker?.Events ?? null, LastReschedule: LAST_RESCHEDULE_FAILED_TO_PLACE } };
  popUpdate(plan, original);
  const list = plan.NodeAllocation[original.NodeID];
  const i = list?.findIndex((a) => a.ID === original.ID) ?? -1;
  if (list !== undefined && i >= 0) list[i] = updated;
  else appendAlloc(plan, updated, original.Job ?? job);
}

/** Places every missing allocation; returns the metrics of the groups that failed (or null). */
export function placeAll(p: PlacementContext, results: ReconcileResults): Record<string, AllocMetric> | null {
  const { nodes, byDC } = readyNodesInDCsAndPool(p.state, p.job.Datacenters, p.job.NodePool);
  p.stack.setNodes(nodes);
  const nowNs = msToNanos(p.nowMs);
  let failed: Record<string, AllocMetric> | null = null;
  const missing: Missing[] = [
    ...results.destructiveUpdate.map((d) => ({ place: { name: d.name, taskGroup: d.taskGroup, previousAlloc: d.stopAlloc, reschedule: false, lost: false, canary: false }, stop: { alloc: d.stopAlloc, description: d.stopDescription } })),
    ...results.place.map((place) => ({ place, stop: null })),
  ];
  for (const { place, stop } of missing) {
    const tg = place.taskGroup;
    const prior = failed?.[tg.Name];
    if (prior !== undefined) {
      prior.CoalescedFailures++;
      exhaustResources(prior, tg);
      continue;
    }
    const preferred = preferredNode(p, place);
    if (stop !== null) appendStoppedAlloc(p.plan, stop.alloc, stop.description, '', '');
    const prev = place.previousAlloc;
    const option = p.stack.select(tg, { penaltyNodeIDs: penaltyNodes(prev), ...(preferred !== null ? { preferredNodes: [preferred] } : {}), allocName: place.name });
    const metric = p.ctx.metrics.metric;
    metric.NodesAvailable = { ...byDC };
    metric.NodesInPool = nodes.length;
    metric.NodePool = p.job.NodePool;
    p.ctx.metrics.populateScoreMetaData();
    if (option === null) {
      exhaustResources(metric, tg);
      (failed ??= {})[tg.Name] = metric;
      if (stop !== null) popUpdate(p.plan, stop.alloc);
      if (prev !== null && place.reschedule) markFailedToReschedule(p.plan, prev, p.job);
      continue;
    }
    let name = place.name;
    const nameIndex = results.nameIndexes.get(tg.Name);
    const idx = allocIndexFromName(name);
    if (nameIndex !== undefined && idx >= 0 && nameIndex.isDuplicate(idx)) {
      name = nameIndex.next(1)[0] ?? name;
      nameIndex.unset(idx);
    }
    const alloc = newAllocation({ id: p.newID(), evalID: p.evalID, name, job: p.job, tg, option, metric, deploymentID: p.deploymentID, nowNs });
    if (prev !== null) {
      alloc.PreviousAllocation = prev.ID;
      if (place.reschedule) {
        alloc.RescheduleTracker = { Events: rescheduleTrackerFor(prev, nowNs), LastReschedule: LAST_RESCHEDULE_SUCCESS };
        swapInPlan(p.plan, prev, { ...prev, RescheduleTracker: { Events: prev.RescheduleTracker?.Events ?? null, LastReschedule: LAST_RESCHEDULE_SUCCESS } });
      }
    }
    if (place.canary && p.deploymentID !== '') alloc.DeploymentStatus = { Healthy: null, Timestamp: '0001-01-01T00:00:00Z', Canary: true, ModifyIndex: 0 };
    appendAlloc(p.plan, alloc);
  }
  return failed;
}

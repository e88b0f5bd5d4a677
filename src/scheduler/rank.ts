// Ranking one feasible node for a task group: bin packing (with port and core assignment — the
// resources the alloc would get), job anti-affinity, the reschedule penalty, node affinities, and
// the final score as the mean of every appended score (Nomad's BinPackIterator through
// ScoreNormalizationIterator; spread lives in spread.ts). A node that cannot fit is recorded as
// exhausted on the dimension that ran out.
import type { Affinity, AllocatedPortMapping, AllocatedTaskResources, Allocation, Job, NetworkResource, Node, TaskGroup, TaskLifecycleConfigRef } from '../structs/index.js';
import { nodeMeets } from './constraints.js';
import type { EvalContext } from './context.js';
import { BINPACK_MAX_FIT_SCORE, capacityOf, exceededDimension, scoreFitBinPack, scoreFitSpread, type Totals } from './fit.js';
import { NetworkIndex } from './network-index.js';

export type SchedulerAlgorithm = 'binpack' | 'spread';

export interface RankedNode {
  node: Node;
  scores: number[];
  finalScore: number;
  /** The node's allocations if this placement were made (without it). */
  proposed: Allocation[];
  /** Scores by scorer name, as ScoreMetaData shows them. */
  named: Record<string, number>;
  taskResources: Record<string, AllocatedTaskResources>;
  taskLifecycles: Record<string, TaskLifecycleConfigRef | null>;
  allocNetworks: NetworkResource[] | null;
  allocPorts: AllocatedPortMapping[] | null;
}

function needsNetworkIndex(tg: TaskGroup): boolean {
  return (tg.Networks?.length ?? 0) > 0 || tg.Tasks.some((t) => (t.Resources.Networks?.length ?? 0) > 0);
}

interface GroupAsk {
  /** True when every node gets identical task resources (no ports, no reserved cores). */
  uniform: boolean;
  cpu: number;
  memory: number;
  taskResources: Record<string, AllocatedTaskResources>;
  taskLifecycles: Record<string, TaskLifecycleConfigRef | null>;
}

const asks = new WeakMap<TaskGroup, GroupAsk>();

/** The group's ask, computed once per group object; its records are shared — copy before changing. */
function groupAsk(tg: TaskGroup): GroupAsk {
  let a = asks.get(tg);
  if (a === undefined) {
    const taskResources: Record<string, AllocatedTaskResources> = {};
    const taskLifecycles: Record<string, TaskLifecycleConfigRef | null> = {};
    let cpu = 0;
    let memory = 0;
    for (const t of tg.Tasks) {
      taskResources[t.Name] = { Cpu: { CpuShares: t.Resources.CPU, ReservedCores: null }, Memory: { MemoryMB: t.Resources.MemoryMB, MemoryMaxMB: t.Resources.MemoryMaxMB }, Networks: null, Devices: null };
      taskLifecycles[t.Name] = t.Lifecycle;
      cpu += t.Resources.CPU;
      memory += t.Resources.MemoryMB;
    }
    const uniform = !needsNetworkIndex(tg) && tg.Tasks.every((t) => t.Resources.Cores <= 0);
    a = { uniform, cpu, memory, taskResources, taskLifecycles };
    asks.set(tg, a);
  }
  return a;
}

/**
 * Bin-packs the group onto the node; null (and a metric) when it does not fit. The returned
 * task resources may be shared between nodes: copy them before keeping or changing them.
 */
export function binPack(ctx: EvalContext, node: Node, tg: TaskGroup, algorithm: SchedulerAlgorithm): RankedNode | null {
  const m = ctx.metrics;
  const { allocs: proposed, usage: base } = ctx.proposed(node.ID);
  const cap = capacityOf(node);
  const ga = groupAsk(tg);
  let taskResources = ga.taskResources;
  let allocNetworks: NetworkResource[] | null = null;
  let allocPorts: AllocatedPortMapping[] | null = null;
  let cpu = ga.cpu;
  let cores = 0;
  if (!ga.uniform) {
    let netIdx: NetworkIndex | null = null;
    if (needsNetworkIndex(tg)) {
      netIdx = new NetworkIndex(node);
      if (netIdx.invalid !== null) {
        m.exhaustedNode(node, 'network: invalid node');
        return null;
      }
      if (netIdx.addAllocs(proposed) !== null) {
        m.exhaustedNode(node, 'network: port collision');
        return null;
      }
      const ask = tg.Networks?.[0];
      if (ask !== undefined) {
        const offer = netIdx.assignPorts(ask, ctx.rng);
        if ('error' in offer) {
          m.exhaustedNode(node, `network: ${offer.error}`);
          return null;
        }
        allocNetworks = [offer.network];
        allocPorts = offer.ports;
      }
    }
    taskResources = {};
    cpu = 0;
    const picked = new Set<number>();
    for (const task of tg.Tasks) {
      const r = task.Resources;
      const tr: AllocatedTaskResources = { Cpu: { CpuShares: r.CPU, ReservedCores: null }, Memory: { MemoryMB: r.MemoryMB, MemoryMaxMB: r.MemoryMaxMB }, Networks: null, Devices: null };
      const taskNet = r.Networks?.[0];
      if (taskNet !== undefined && netIdx !== null) {
        const offer = netIdx.assignPorts(taskNet, ctx.rng);
        if ('error' in offer) {
          m.exhaustedNode(node, `network: ${offer.error}`);
          return null;
        }
        tr.Networks = [offer.network];
      }
      if (r.Cores > 0) {
        const free = cap.cores.filter((c) => !base.cores.has(c) && !picked.has(c));
        if (free.length < r.Cores) {
          m.exhaustedNode(node, 'cores');
          return null;
        }
        const mine = free.slice(0, r.Cores);
        for (const c of mine) picked.add(c);
        tr.Cpu = { CpuShares: r.Cores * cap.mhzPerCore, ReservedCores: mine };
      }
      cpu += tr.Cpu.CpuShares;
      taskResources[task.Name] = tr;
    }
    cores = picked.size;
  }
  const used: Totals = { cpu: base.cpu + cpu, memory: base.memory + ga.memory, disk: base.disk + tg.EphemeralDisk.SizeMB, cores: base.cores.size + cores };
  const dim = exceededDimension(cap, used);
  if (dim !== '') {
    m.exhaustedNode(node, dim);
    return null;
  }
  const fitness = algorithm === 'spread' ? scoreFitSpread(cap, used) : scoreFitBinPack(cap, used);
  const norm = fitness / BINPACK_MAX_FIT_SCORE;
  return { node, scores: [norm], named: { binpack: norm }, finalScore: 0, proposed, taskResources, taskLifecycles: ga.taskLifecycles, allocNetworks, allocPorts };
}

/** Penalises nodes already running this job's group: `−(collisions+1)/count`. */
export function jobAntiAffinity(option: RankedNode, job: Job, tg: TaskGroup): void {
  let collisions = 0;
  for (const a of option.proposed) if (a.JobID === job.ID && a.Namespace === job.Namespace && a.TaskGroup === tg.Name) collisions++;
  if (collisions > 0) {
    const penalty = -(collisions + 1) / tg.Count;
    option.scores.push(penalty);
    option.named['job-anti-affinity'] = penalty;
  } else option.named['job-anti-affinity'] = 0;
}

/** −1 on nodes where the allocation being replaced (or its ancestors) failed. */
export function reschedulePenalty(option: RankedNode, penaltyNodes: ReadonlySet<string>): void {
  if (penaltyNodes.has(option.node.ID)) {
    option.scores.push(-1);
    option.named['node-reschedule-penalty'] = -1;
  } else option.named['node-reschedule-penalty'] = 0;
}

/** Job, group and task affinities together. */
export function combinedAffinities(job: Job, tg: TaskGroup): Affinity[] {
  return [...(job.Affinities ?? []), ...(tg.Affinities ?? []), ...tg.Tasks.flatMap((t) => t.Affinities ?? [])];
}

/** Σ(weights of matching affinities) / Σ|weights|, appended only when non-zero. */
export function nodeAffinity(ctx: EvalContext, option: RankedNode, affinities: readonly Affinity[]): void {
  if (affinities.length === 0) return;
  let sum = 0;
  let total = 0;
  for (const a of affinities) {
    sum += Math.abs(a.Weight);
    if (nodeMeets(a, option.node, ctx.caches)) total += a.Weight;
  }
  if (total !== 0) {
    const score = total / sum;
    option.scores.push(score);
    option.named['node-affinity'] = score;
  }
}

/** The final score: the mean of all appended scores. */
export function normalizeScore(ctx: EvalContext, option: RankedNode): void {
  let s = 0;
  for (const x of option.scores) s += x;
  option.finalScore = option.scores.length === 0 ? 0 : s / option.scores.length;
  ctx.metrics.scoreNode(option.node.ID, option.named, option.finalScore);
}

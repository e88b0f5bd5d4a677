// Ranking one feasible node for a task group: bin packing (with port and core assignment — the
// resources the alloc would get), job anti-affinity, the reschedule penalty, node affinities, and
// the final score as the mean of every appended score (Nomad's BinPackIterator through
// ScoreNormalizationIterator; spread lives in spread.ts). A node that cannot fit is recorded as
// exhausted on the dimension that ran out.
import type { Affinity, AllocatedPortMapping, AllocatedTaskResources, Allocation, Job, NetworkResource, Node, TaskGroup, TaskLifecycleConfigRef } from '../structs/index.js';
import { nodeMeets } from './constraints.js';
import type { EvalContext } from './context.js';
import { BINPACK_MAX_FIT_SCORE, capacityOf, exceededDimension, scoreFitBinPack, scoreFitSpread, type Capacity, type Totals, type Usage } from './fit.js';
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

/** What bin packing assigns on one node: the normalized fitness and the resources the alloc would get. */
export interface Fit {
  norm: number;
  /** The node's allocations if this placement were made (without it). */
  proposed: Allocation[];
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
export function binPack(ctx: EvalContext, node: Node, tg: TaskGroup, algorithm: SchedulerAlgorithm): Fit | null {
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
  const norm = fitNorm(cap, base, cpu, ga.memory, tg.EphemeralDisk.SizeMB, cores, algorithm);
  if (typeof norm === 'string') {
    m.exhaustedNode(node, norm);
    return null;
  }
  return { norm, proposed, taskResources, taskLifecycles: ga.taskLifecycles, allocNetworks, allocPorts };
}

/** The normalized fitness of the node with the ask added to its usage, or the exhausted dimension. */
function fitNorm(cap: Capacity, base: Usage, cpu: number, memory: number, disk: number, cores: number, algorithm: SchedulerAlgorithm): number | string {
  const used: Totals = { cpu: base.cpu + cpu, memory: base.memory + memory, disk: base.disk + disk, cores: base.cores.size + cores };
  const dim = exceededDimension(cap, used);
  if (dim !== '') return dim;
  const fitness = algorithm === 'spread' ? scoreFitSpread(cap, used) : scoreFitBinPack(cap, used);
  return fitness / BINPACK_MAX_FIT_SCORE;
}

/**
 * binPack's verdict for a group whose every placement gets the same resources (no ports, no
 * reserved cores): the normalized fitness, or the exhausted dimension. Null when the group's
 * ask is not uniform (binPack must run). Pure in (node, usage, group, algorithm), so callers may
 * memoise it while the node's proposed allocations stay the same.
 */
export function uniformFit(node: Node, base: Usage, tg: TaskGroup, algorithm: SchedulerAlgorithm): number | string | null {
  const ga = groupAsk(tg);
  if (!ga.uniform) return null;
  return fitNorm(capacityOf(node), base, ga.cpu, ga.memory, tg.EphemeralDisk.SizeMB, 0, algorithm);
}

/** The task resources and lifecycles every node gets from a uniform ask (shared: copy before changing). */
export function uniformTaskResources(tg: TaskGroup): { taskResources: Record<string, AllocatedTaskResources>; taskLifecycles: Record<string, TaskLifecycleConfigRef | null> } {
  return groupAsk(tg);
}

/** How many of the allocations belong to the job's group (job anti-affinity's collisions). */
export function collisions(allocs: readonly Allocation[], job: Job, tg: TaskGroup): number {
  let n = 0;
  for (const a of allocs) if (a.JobID === job.ID && a.Namespace === job.Namespace && a.TaskGroup === tg.Name) n++;
  return n;
}

/** Job anti-affinity: `−(collisions+1)/count` on nodes already running this job's group, else 0 (not appended). */
export function antiAffinityPenalty(collisionCount: number, tg: TaskGroup): number {
  return collisionCount > 0 ? -(collisionCount + 1) / tg.Count : 0;
}

/** Job, group and task affinities together. */
export function combinedAffinities(job: Job, tg: TaskGroup): Affinity[] {
  return [...(job.Affinities ?? []), ...(tg.Affinities ?? []), ...tg.Tasks.flatMap((t) => t.Affinities ?? [])];
}

/** Node affinity: Σ(weights of matching affinities) / Σ|weights|; 0 (not appended) when nothing matches on balance. */
export function affinityScore(ctx: EvalContext, node: Node, affinities: readonly Affinity[]): number {
  if (affinities.length === 0) return 0;
  let sum = 0;
  let total = 0;
  for (const a of affinities) {
    sum += Math.abs(a.Weight);
    if (nodeMeets(a, node, ctx.caches)) total += a.Weight;
  }
  return total !== 0 ? total / sum : 0;
}

/**
 * One ranked node's scores as plain numbers, in Nomad's iterator order: bin packing, then (for
 * generic schedulers) job anti-affinity, the reschedule penalty (−1 when set), node affinity and
 * spread — each of the last four appended only when non-zero. Kept in a scratch by the stack, so
 * a node that neither wins nor enters the retained top scores allocates nothing.
 */
export interface ScoreParts {
  binpack: number;
  /** False for the system stack, which ranks by bin packing alone. */
  generic: boolean;
  antiAffinity: number;
  reschedule: boolean;
  affinity: number;
  spread: number;
}

/** The appended scores, in order. */
export function scoreList(p: ScoreParts): number[] {
  const out = [p.binpack];
  if (!p.generic) return out;
  if (p.antiAffinity !== 0) out.push(p.antiAffinity);
  if (p.reschedule) out.push(-1);
  if (p.affinity !== 0) out.push(p.affinity);
  if (p.spread !== 0) out.push(p.spread);
  return out;
}

/** The final score: the mean of the appended scores (summed in order, as scoreList lists them). */
export function finalScore(p: ScoreParts): number {
  if (!p.generic) return 0 + p.binpack;
  let s = 0 + p.binpack;
  let n = 1;
  if (p.antiAffinity !== 0) {
    s += p.antiAffinity;
    n++;
  }
  if (p.reschedule) {
    s += -1;
    n++;
  }
  if (p.affinity !== 0) {
    s += p.affinity;
    n++;
  }
  if (p.spread !== 0) {
    s += p.spread;
    n++;
  }
  return s / n;
}

/** Scores by scorer name, as ScoreMetaData shows them (anti-affinity and reschedule penalty always present for generic stacks). */
export function namedScores(p: ScoreParts): Record<string, number> {
  const named: Record<string, number> = { binpack: p.binpack };
  if (!p.generic) return named;
  named['job-anti-affinity'] = p.antiAffinity;
  named['node-reschedule-penalty'] = p.reschedule ? -1 : 0;
  if (p.affinity !== 0) named['node-affinity'] = p.affinity;
  if (p.spread !== 0) named['allocation-spread'] = p.spread;
  return named;
}

// Resource arithmetic on one node (Nomad's AllocsFit and ScoreFit*): what the node offers after
// its reserved resources, what a set of allocations uses, whether they fit (and if not, the
// first exhausted dimension), and the bin-pack / spread fitness scores.
import type { Allocation, AllocatedResources, Node } from '../structs/index.js';

export interface Usage {
  cpu: number;
  memory: number;
  disk: number;
  cores: Set<number>;
}

export function emptyUsage(): Usage {
  return { cpu: 0, memory: 0, disk: 0, cores: new Set() };
}

export function addResources(u: Usage, r: AllocatedResources | null): void {
  if (r === null) return;
  for (const t of Object.values(r.Tasks)) {
    u.cpu += t.Cpu.CpuShares;
    u.memory += t.Memory.MemoryMB;
    for (const c of t.Cpu.ReservedCores ?? []) u.cores.add(c);
  }
  u.disk += r.Shared.DiskMB;
}

export function usageOf(allocs: readonly Allocation[]): Usage {
  const u = emptyUsage();
  for (const a of allocs) addResources(u, a.AllocatedResources);
  return u;
}

export interface Capacity {
  cpu: number;
  memory: number;
  disk: number;
  /** Cores the node lets tasks reserve, minus the ones reserved for the node itself. */
  cores: number[];
  /** MHz per core, to turn reserved cores into CPU shares. */
  mhzPerCore: number;
}

const capacities = new WeakMap<Node, Capacity>();

/** The node's resources minus its reserved resources (memoised per node object; nodes are never mutated). */
export function capacityOf(node: Node): Capacity {
  let c = capacities.get(node);
  if (c === undefined) {
    c = computeCapacity(node);
    capacities.set(node, c);
  }
  return c;
}

function computeCapacity(node: Node): Capacity {
  const r = node.ReservedResources;
  const res = node.NodeResources;
  const reservedCores = new Set(r?.Cpu.ReservedCpuCores ?? []);
  const total = res.Cpu.TotalCpuCores;
  return {
    cpu: res.Cpu.CpuShares - (r?.Cpu.CpuShares ?? 0),
    memory: res.Memory.MemoryMB - (r?.Memory.MemoryMB ?? 0),
    disk: res.Disk.DiskMB - (r?.Disk.DiskMB ?? 0),
    cores: (res.Cpu.ReservableCpuCores ?? []).filter((c) => !reservedCores.has(c)),
    mhzPerCore: total > 0 ? Math.floor(res.Cpu.CpuShares / total) : 0,
  };
}

/** What a node would use with a placement: totals plus the number of reserved cores. */
export interface Totals {
  cpu: number;
  memory: number;
  disk: number;
  cores: number;
}

/** The first dimension the totals exceed, in Nomad's order (cpu, cores, memory, disk), or "". */
export function exceededDimension(cap: Capacity, used: Totals): string {
  if (used.cpu > cap.cpu) return 'cpu';
  if (used.cores > cap.cores.length) return 'cores';
  if (used.memory > cap.memory) return 'memory';
  if (used.disk > cap.disk) return 'disk';
  return '';
}

const clamp = (x: number): number => (x > 18 ? 18 : x < 0 ? 0 : x);

/** Bin packing: fuller nodes score higher. `20 − (10^freeCpu + 10^freeMem)`, clamped to [0, 18]. */
export function scoreFitBinPack(cap: Capacity, used: Totals): number {
  return clamp(20 - (10 ** (1 - used.cpu / cap.cpu) + 10 ** (1 - used.memory / cap.memory)));
}

/** The `spread` scheduler algorithm: emptier nodes score higher. `(10^freeCpu + 10^freeMem) − 2`, clamped. */
export function scoreFitSpread(cap: Capacity, used: Totals): number {
  return clamp(10 ** (1 - used.cpu / cap.cpu) + 10 ** (1 - used.memory / cap.memory) - 2);
}

export const BINPACK_MAX_FIT_SCORE = 18;

// Feasibility: which nodes may run a job's task group at all — ready nodes in the job's
// datacenters and pool, then job constraints, drivers, group+task constraints and host volumes,
// decided once per computed node class and remembered for the rest of the evaluation (unless a
// constraint on a `unique` target makes nodes of one class differ). Filtered nodes are counted
// in the Select's metrics under the constraint that excluded them, as Nomad words it.
import type { Constraint, Job, Node, TaskGroup, VolumeRequest } from '../structs/index.js';
import { nodeReady } from '../structs/index.js';
import { constraintString, nodeMeets } from './constraints.js';
import type { EvalContext } from './context.js';
import { nodeClassOf } from './node-class.js';
import type { StateView } from './state-view.js';
import { parseGoBool } from '../structs/strconv.js';

/** Datacenter patterns: `*` matches any run of characters (Nomad's glob). */
export function dcMatches(dc: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (!p.includes('*')) {
      if (p === dc) return true;
      continue;
    }
    const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    if (re.test(dc)) return true;
  }
  return false;
}

export interface ReadyNodes {
  nodes: Node[];
  /** IDs of nodes in the pool that are not ready (down, draining, ineligible…). */
  notReady: Set<string>;
  /** Ready nodes per datacenter; literal job datacenters without any appear with 0. */
  byDC: Record<string, number>;
}

/** Ready (status ready, not draining, eligible) nodes in the datacenters and node pool. */
export function readyNodesInDCsAndPool(state: Pick<StateView, 'nodes'>, dcs: readonly string[], pool: string): ReadyNodes {
  const nodes: Node[] = [];
  const notReady = new Set<string>();
  const byDC: Record<string, number> = {};
  for (const dc of dcs) if (!dc.includes('*')) byDC[dc] = 0;
  for (const n of state.nodes()) {
    if (pool !== 'all' && pool !== '' && n.NodePool !== pool) continue;
    if (!nodeReady(n)) {
      notReady.add(n.ID);
      continue;
    }
    if (dcMatches(n.Datacenter, dcs)) {
      nodes.push(n);
      byDC[n.Datacenter] = (byDC[n.Datacenter] ?? 0) + 1;
    }
  }
  return { nodes, notReady, byDC };
}

/** Each driver must be detected and healthy, or (older clients) `driver.<name>` attribute true. */
export function hasDrivers(node: Node, drivers: ReadonlySet<string>): boolean {
  for (const d of drivers) {
    const info = node.Drivers[d];
    if (info !== undefined) {
      if (!info.Detected || !info.Healthy) return false;
      continue;
    }
    const attr = node.Attributes[`driver.${d}`];
    if (attr === undefined || parseGoBool(attr) !== true) return false;
  }
  return true;
}

function hasHostVolumes(node: Node, volumes: readonly VolumeRequest[]): boolean {
  for (const v of volumes) {
    const hv = node.HostVolumes?.[v.Source];
    if (hv === undefined) return false;
    if (hv.ReadOnly && !v.ReadOnly) return false;
  }
  return true;
}

export class FeasibilityChecker {
  private jobConstraints: Constraint[] = [];
  private tg: TaskGroup | null = null;
  private drivers = new Set<string>();
  private tgConstraints: Constraint[] = [];
  private hostVolumes: VolumeRequest[] = [];

  constructor(private readonly ctx: EvalContext) {}

  setJob(job: Job): void {
    this.jobConstraints = job.Constraints ?? [];
    this.ctx.eligibility.setJob(job);
  }

  setTaskGroup(tg: TaskGroup): void {
    this.tg = tg;
    this.drivers = new Set(tg.Tasks.map((t) => t.Driver));
    this.tgConstraints = [...(tg.Constraints ?? []), ...tg.Tasks.flatMap((t) => t.Constraints ?? [])];
    this.hostVolumes = Object.values(tg.Volumes ?? {}).filter((v) => v.Type === 'host');
  }

  private meetsAll(node: Node, cs: readonly Constraint[]): boolean {
    for (const c of cs) {
      if (!nodeMeets(c, node, this.ctx.caches)) {
        this.ctx.metrics.filterNode(node, constraintString(c));
        return false;
      }
    }
    return true;
  }

  private groupChecks(node: Node): boolean {
    if (!hasDrivers(node, this.drivers)) {
      this.ctx.metrics.filterNode(node, 'missing drivers');
      return false;
    }
    return this.meetsAll(node, this.tgConstraints);
  }

  /** Checks not cached by class (they depend on per-node state). */
  private available(node: Node): boolean {
    if (this.hostVolumes.length > 0 && !hasHostVolumes(node, this.hostVolumes)) {
      this.ctx.metrics.filterNode(node, 'missing compatible host volumes');
      return false;
    }
    return true;
  }

  /**
   * What `feasible` would decide for the node from its computed class alone, once that is known:
   * "ineligible" (filtered as "computed class ineligible"), "eligible" (only the per-node checks
   * remain), or null when it is not settled (unknown or escaped class). A settled class never
   * changes within an evaluation, so callers may remember the answer per node.
   */
  classVerdict(node: Node): 'eligible' | 'ineligible' | null {
    const elig = this.ctx.eligibility;
    const cls = nodeClassOf(node);
    const job = elig.jobStatus(cls);
    if (job === 'ineligible') return 'ineligible';
    if (job !== 'eligible') return null;
    const tg = elig.groupStatus(this.tg?.Name ?? '', cls);
    return tg === 'ineligible' ? 'ineligible' : tg === 'eligible' ? 'eligible' : null;
  }

  /** `feasible` for a node whose class verdict is settled (see classVerdict). */
  feasibleSettled(node: Node, verdict: 'eligible' | 'ineligible'): boolean {
    if (verdict === 'ineligible') {
      this.ctx.metrics.filterNode(node, 'computed class ineligible');
      return false;
    }
    return this.available(node);
  }

  feasible(node: Node): boolean {
    const elig = this.ctx.eligibility;
    const cls = nodeClassOf(node);
    const jobStatus = elig.jobStatus(cls);
    if (jobStatus === 'ineligible') {
      this.ctx.metrics.filterNode(node, 'computed class ineligible');
      return false;
    }
    if (jobStatus !== 'eligible') {
      if (!this.meetsAll(node, this.jobConstraints)) {
        if (jobStatus !== 'escaped') elig.setJobEligibility(false, cls);
        return false;
      }
      if (jobStatus === 'unknown') elig.setJobEligibility(true, cls);
    }
    const tgName = this.tg?.Name ?? '';
    const tgStatus = elig.groupStatus(tgName, cls);
    if (tgStatus === 'ineligible') {
      this.ctx.metrics.filterNode(node, 'computed class ineligible');
      return false;
    }
    if (tgStatus === 'eligible') return this.available(node);
    if (!this.groupChecks(node)) {
      if (tgStatus !== 'escaped') elig.setGroupEligibility(false, tgName, cls);
      return false;
    }
    if (tgStatus === 'unknown') elig.setGroupEligibility(true, tgName, cls);
    return this.available(node);
  }
}

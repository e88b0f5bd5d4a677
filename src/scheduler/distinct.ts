// distinct_hosts and distinct_property: constraints that depend on where the job's other
// allocations are (existing and proposed in this plan), so they are checked per node after the
// class-cached feasibility checks and never cached.
import type { Constraint, Job, Node, TaskGroup } from '../structs/index.js';
import type { EvalContext } from './context.js';
import { PropertySet } from './property-set.js';

const enabled = (c: Constraint): boolean => c.RTarget === '' || c.RTarget === 'true' || c.RTarget === '1' || c.RTarget === 'True' || c.RTarget === 'TRUE' || c.RTarget === 't' || c.RTarget === 'T';

function distinctHosts(cs: readonly Constraint[] | null): boolean {
  return (cs ?? []).some((c) => c.Operand === 'distinct_hosts' && enabled(c));
}

function propertySets(ctx: EvalContext, job: Job, cs: readonly Constraint[] | null, tg: string): PropertySet[] {
  const out: PropertySet[] = [];
  for (const c of cs ?? []) {
    if (c.Operand !== 'distinct_property') continue;
    let allowed = 1;
    let error = '';
    if (c.RTarget !== '') {
      if (/^\d+$/.test(c.RTarget)) allowed = Number(c.RTarget);
      else error = `failed to convert RTarget ${JSON.stringify(c.RTarget)} to uint64`;
    }
    out.push(new PropertySet(ctx, job, c.LTarget, tg, allowed, new Set(), error));
  }
  return out;
}

export class DistinctChecker {
  private job: Job | null = null;
  private tg: TaskGroup | null = null;
  private jobHosts = false;
  private tgHosts = false;
  private jobSets: PropertySet[] = [];
  private readonly groupSets = new Map<string, PropertySet[]>();
  /** The job's and the current group's property sets (fixed for a Select). */
  private active: PropertySet[] = [];

  constructor(private readonly ctx: EvalContext) {}

  setJob(job: Job): void {
    this.job = job;
    this.jobHosts = distinctHosts(job.Constraints);
    this.jobSets = propertySets(this.ctx, job, job.Constraints, '');
    this.groupSets.clear();
    this.active = this.jobSets;
  }

  /** Selects the group and re-reads the plan for the property sets (once per Select). */
  setTaskGroup(tg: TaskGroup): void {
    this.tg = tg;
    this.tgHosts = distinctHosts(tg.Constraints);
    if (this.job !== null && !this.groupSets.has(tg.Name)) this.groupSets.set(tg.Name, propertySets(this.ctx, this.job, tg.Constraints, tg.Name));
    this.active = [...this.jobSets, ...(this.groupSets.get(tg.Name) ?? [])];
    for (const ps of this.active) ps.populateProposed();
  }

  feasible(node: Node): boolean {
    const job = this.job;
    const tg = this.tg;
    if (job === null || tg === null) return true;
    if (this.jobHosts || this.tgHosts) {
      for (const a of this.ctx.proposedAllocs(node.ID)) {
        const jobCollision = a.JobID === job.ID && a.Namespace === job.Namespace;
        if ((this.jobHosts && jobCollision) || (jobCollision && a.TaskGroup === tg.Name)) {
          this.ctx.metrics.filterNode(node, 'distinct_hosts');
          return false;
        }
      }
    }
    for (const ps of this.active) {
      const { ok, reason } = ps.satisfiesDistinct(node);
      if (!ok) {
        this.ctx.metrics.filterNode(node, reason);
        return false;
      }
    }
    return true;
  }
}

// The alloc runner's checks hook (Nomad's allocrunner/checks_hook.go): one observer per check of
// the allocation's provider="nomad" services, group- and task-level, interpolated with the
// allocation's environment. Each observer runs its check first after interval/2, then every
// interval, and files the result in the client's check store, where a "pending" stub waits until
// the first run. An in-place update of the allocation starts observers for new checks and drops
// stale ones; preKill (and destroy) stop every observer and purge the results; postrun stops the
// observers of an allocation whose tasks are all done but keeps its last results.
import type { Allocation } from '../../structs/alloc.js';
import { checkMode, nomadCheckID } from '../../structs/checks.js';
import { lookupTaskGroup } from '../../structs/job.js';
import type { Logger } from '../../structs/logger.js';
import type { Node } from '../../structs/node.js';
import type { Service, ServiceCheck } from '../../structs/services.js';
import { errorMessage, sleep } from '../async.js';
import { groupEnv, interpolateService, nomadServices } from '../services.js';
import { Checker, checkQuery, pendingResult, type QueryContext } from './checker.js';
import type { CheckStore } from './store.js';

export interface ChecksHookOptions {
  store: CheckStore;
  node: () => Node;
  region: string;
  checker?: Checker;
  /** Epoch ms. */
  now?: () => number;
}

/** What the hook reads from the alloc runner's hook context (a subset of AllocHookContext). */
export interface ChecksHookContext {
  readonly alloc: Allocation;
  readonly logger: Logger;
}

interface Observer {
  readonly ctl: AbortController;
  readonly done: Promise<void>;
}

/** The group's and its tasks' provider="nomad" services, interpolated with the allocation's environment. */
export function allocNomadServices(alloc: Allocation, node: Node, region: string): Service[] {
  const group = alloc.Job ? lookupTaskGroup(alloc.Job, alloc.TaskGroup) : undefined;
  if (!group) return [];
  const all = [...(group.Services ?? []), ...group.Tasks.flatMap((t) => t.Services ?? [])];
  const env = groupEnv(alloc, node, region);
  return nomadServices(all).nomad.map((s) => interpolateService(s, env));
}

export class ChecksHook {
  readonly name = 'checks';
  private readonly observers = new Map<string, Map<string, Observer>>();
  private readonly checker: Checker;
  private readonly now: () => number;

  constructor(private readonly opts: ChecksHookOptions) {
    this.checker = opts.checker ?? new Checker(opts.now ? { now: opts.now } : {});
    this.now = opts.now ?? Date.now;
  }

  prerun(ctx: ChecksHookContext): Promise<void> {
    this.observe(ctx.alloc, ctx.logger);
    return Promise.resolve();
  }

  /** A newer version of the allocation (in-place update): observe new checks, drop stale ones. */
  update(ctx: ChecksHookContext): Promise<void> {
    if (this.observers.has(ctx.alloc.ID)) this.observe(ctx.alloc, ctx.logger);
    return Promise.resolve();
  }

  async preKill(ctx: ChecksHookContext): Promise<void> {
    await this.stopAll(ctx.alloc.ID);
    this.opts.store.purge(ctx.alloc.ID);
  }

  async postrun(ctx: ChecksHookContext): Promise<void> {
    await this.stopAll(ctx.alloc.ID);
  }

  async destroy(ctx: ChecksHookContext): Promise<void> {
    await this.stopAll(ctx.alloc.ID);
    this.opts.store.purge(ctx.alloc.ID);
  }

  private observe(alloc: Allocation, logger: Logger): void {
    const store = this.opts.store;
    let mine = this.observers.get(alloc.ID);
    if (!mine) this.observers.set(alloc.ID, (mine = new Map()));
    const ports = alloc.AllocatedResources?.Shared.Ports ?? [];
    const networks = alloc.AllocatedResources?.Shared.Networks ?? [];
    const ids: string[] = [];
    for (const service of allocNomadServices(alloc, this.opts.node(), this.opts.region)) {
      for (const check of service.Checks ?? []) {
        const id = nomadCheckID(alloc.ID, alloc.TaskGroup, check);
        ids.push(id);
        if (mine.has(id)) continue;
        const qc: QueryContext = { id, customAddress: service.Address, servicePortLabel: service.PortLabel, ports, networks, group: alloc.Name, task: service.TaskName, service: service.Name, check: check.Name };
        store.set(alloc.ID, pendingResult(id, checkMode(check), Math.floor(this.now() / 1000), alloc.Name, service.TaskName, service.Name, check.Name));
        mine.set(id, this.startObserver(alloc.ID, qc, check, logger));
      }
    }
    // Checks that are no longer in the job (in-place update) stop and lose their results.
    const stale = store.difference(alloc.ID, ids);
    for (const id of stale) {
      mine.get(id)?.ctl.abort();
      mine.delete(id);
    }
    store.remove(alloc.ID, stale);
  }

  private startObserver(allocID: string, qc: QueryContext, check: ServiceCheck, logger: Logger): Observer {
    const ctl = new AbortController();
    const intervalMs = check.Interval / 1e6;
    const query = checkQuery(check);
    const loop = async (): Promise<void> => {
      // Halfway through the first interval: not too early for the task, not a full interval late.
      let wait = intervalMs / 2;
      while ((await sleep(wait, ctl.signal)) === 'timeout') {
        const result = await this.checker.run(qc, query, ctl.signal);
        if (ctl.signal.aborted) return;
        this.opts.store.set(allocID, result);
        wait = intervalMs;
      }
    };
    const done = loop().catch((err: unknown) => logger.error('check observer failed', { alloc_id: allocID, check: qc.check, error: errorMessage(err) }));
    return { ctl, done };
  }

  private async stopAll(allocID: string): Promise<void> {
    const mine = this.observers.get(allocID);
    if (!mine) return;
    this.observers.delete(allocID);
    for (const o of mine.values()) o.ctl.abort();
    await Promise.all([...mine.values()].map((o) => o.done));
  }
}

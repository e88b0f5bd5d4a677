// The alloc runner's hook list, built in this one place (Nomad's alloc_runner_hooks.go
// initRunnerHooks), and the order's reasons:
//   1. alloc_dir      — runs first: every later hook and every task writes inside the alloc dir;
//   2. network        — (hook point) host networking needs nothing; bridge/CNI namespaces belong to
//                       the networking issue and must exist before group services and tasks;
//   3. group_services — (hook point for registration, which the service-discovery issue fills)
//                       before any task starts, as Nomad registers group services in prerun; its
//                       preKill applies the group's shutdown_delay before tasks are killed.
import type { Allocation } from '../../structs/alloc.js';
import { lookupTaskGroup } from '../../structs/job.js';
import type { Logger } from '../../structs/logger.js';
import type { AllocDir } from '../allocdir.js';
import { sleep } from '../async.js';

export interface AllocHookContext {
  readonly alloc: Allocation;
  readonly allocDir: AllocDir;
  readonly logger: Logger;
  /** Aborts when the alloc runner stops waiting (agent shutdown). */
  readonly signal: AbortSignal;
}

export interface AllocHook {
  readonly name: string;
  /** Before any task runs; throwing fails every task ("failed to setup alloc"). */
  prerun?(ctx: AllocHookContext): Promise<void>;
  /** Before tasks are killed. */
  preKill?(ctx: AllocHookContext): Promise<void>;
  /** After every task is done. */
  postrun?(ctx: AllocHookContext): Promise<void>;
  /** When the allocation is removed from the node (safe without prerun). */
  destroy?(ctx: AllocHookContext): Promise<void>;
}

export const allocDirHook: AllocHook = {
  name: 'alloc_dir',
  prerun(ctx) {
    ctx.allocDir.build();
    return Promise.resolve();
  },
  destroy(ctx) {
    ctx.allocDir.destroy();
    return Promise.resolve();
  },
};

export const networkHook: AllocHook = {
  name: 'network',
  prerun(ctx) {
    const mode = ctx.alloc.AllocatedResources?.Shared.Networks?.[0]?.Mode ?? '';
    if (mode !== '' && mode !== 'host') ctx.logger.warn('network mode is not supported yet; the tasks use the host network', { alloc_id: ctx.alloc.ID, mode });
    return Promise.resolve();
  },
};

export const groupServicesHook: AllocHook = {
  name: 'group_services',
  prerun() {
    // Group service registration is filled by the service-discovery issue.
    return Promise.resolve();
  },
  async preKill(ctx) {
    const a = ctx.alloc;
    const group = a.Job ? lookupTaskGroup(a.Job, a.TaskGroup) : undefined;
    const delayNs = group?.ShutdownDelay ?? 0;
    if (delayNs > 0 && a.DesiredTransition.NoShutdownDelay !== true) await sleep(delayNs / 1e6, ctx.signal);
  },
};

export function buildAllocHooks(): AllocHook[] {
  return [allocDirHook, networkHook, groupServicesHook];
}

// The alloc runner's hook list, built in this one place (Nomad's alloc_runner_hooks.go
// initRunnerHooks), and the order's reasons:
//   1. alloc_dir      — runs first: every later hook and every task writes inside the alloc dir;
//   2. network        — (hook point) host networking needs nothing; bridge/CNI namespaces belong to
//                       the networking issue and must exist before group services and tasks;
//   3. group_services — registers the group's provider="nomad" services in prerun, before any
//                       task starts, as Nomad does; its preKill deregisters them, then applies
//                       the group's shutdown_delay before tasks are killed; postrun and destroy
//                       deregister too (idempotent). It hands the services' checks with
//                       check_restart to the check watcher, again before a restart of the tasks;
//   4. checks         — runs the http/tcp checks of every provider="nomad" service (group and
//                       task level) into the client's check store (src/client/checks), after
//                       group_services so results follow registrations; preKill purges them.
import type { Allocation } from '../../structs/alloc.js';
import { lookupTaskGroup } from '../../structs/job.js';
import type { Logger } from '../../structs/logger.js';
import type { AllocDir } from '../allocdir.js';
import type { Service } from '../../structs/services.js';
import { sleep } from '../async.js';
import { ChecksHook, type ChecksHookOptions } from '../checks/hook.js';
import { buildRegistrations, groupEnv, interpolateService, nomadServices, type ServiceRegistrar } from '../services.js';

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
  /** A newer version of the allocation arrived from the servers (ctx.alloc is the new one). */
  update?(ctx: AllocHookContext): Promise<void>;
  /** Before the running tasks are restarted in place (Nomad's RunnerTaskRestartHook). */
  preTaskRestart?(ctx: AllocHookContext): Promise<void>;
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

async function shutdownDelay(ctx: AllocHookContext): Promise<void> {
  const a = ctx.alloc;
  const group = a.Job ? lookupTaskGroup(a.Job, a.TaskGroup) : undefined;
  const delayNs = group?.ShutdownDelay ?? 0;
  if (delayNs > 0 && a.DesiredTransition.NoShutdownDelay !== true) await sleep(delayNs / 1e6, ctx.signal);
}

/** The group_services hook; without a registrar (tests) it only applies shutdown_delay. */
export function createGroupServicesHook(registrar?: ServiceRegistrar): AllocHook {
  const registered = new Map<string, { ids: string[]; owner: string; services: Service[] }>();
  const deregister = async (ctx: AllocHookContext): Promise<void> => {
    const done = registered.get(ctx.alloc.ID);
    if (!registrar || !done) return;
    registered.delete(ctx.alloc.ID);
    registrar.unwatchChecks(ctx.alloc, done.services);
    await registrar.deregister(done.ids);
  };
  return {
    name: 'group_services',
    async prerun(ctx) {
      const a = ctx.alloc;
      const group = a.Job ? lookupTaskGroup(a.Job, a.TaskGroup) : undefined;
      if (!registrar || !group) return;
      const owner = `group-${group.Name}`;
      const { nomad, consul } = nomadServices(group.Services);
      if (consul.length > 0) registrar.consulSkipped(a, owner, ctx.logger);
      if (nomad.length === 0) return;
      const node = registrar.node();
      const env = groupEnv(a, node, registrar.region);
      const regs = buildRegistrations(a, node, owner, nomad, env);
      const services = nomad.map((s) => interpolateService(s, env));
      registered.set(a.ID, { ids: regs.map((r) => r.ID), owner, services });
      registrar.watchChecks(a, owner, undefined, services);
      await registrar.register(regs, ctx.signal);
    },
    // The tasks restart: their group checks get a fresh grace period, as Nomad re-registers them.
    preTaskRestart(ctx) {
      const done = registered.get(ctx.alloc.ID);
      if (registrar && done) registrar.watchChecks(ctx.alloc, done.owner, undefined, done.services);
      return Promise.resolve();
    },
    async preKill(ctx) {
      await deregister(ctx);
      await shutdownDelay(ctx);
    },
    postrun: deregister,
    destroy: deregister,
  };
}

export const groupServicesHook: AllocHook = createGroupServicesHook();

/** `checks`: where the checks hook files results (the client's check store); no checks hook without it. */
export function buildAllocHooks(opts: { services?: ServiceRegistrar; checks?: ChecksHookOptions } = {}): AllocHook[] {
  const hooks = [allocDirHook, networkHook, createGroupServicesHook(opts.services)];
  if (opts.checks) hooks.push(new ChecksHook(opts.checks));
  return hooks;
}

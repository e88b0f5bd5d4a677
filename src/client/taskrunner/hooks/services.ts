// serviceHook: registers the task-level `service` blocks with provider "nomad" once the task runs
// (poststart), and deregisters them before the task is killed (preKill, before shutdown_delay),
// after each exit (exited; a restart registers them again) and when it is done for good (stop),
// as Nomad's service_hook.go does. Names, tags and
// addresses are interpolated with the task's environment. Consul services are skipped (logged once).
// Each (re)start also hands the services' checks with check_restart to the check watcher, so the
// grace period counts from the task's start; deregistering stops watching them.
import type { Service } from '../../../structs/services.js';
import { buildRegistrations, interpolateService, nomadServices, type ServiceRegistrar } from '../../services.js';
import type { TaskHook, TaskHookContext } from '../hook.js';

export function createServicesHook(registrar?: ServiceRegistrar): TaskHook {
  const registered = new Map<string, { ids: string[]; services: Service[] }>();
  const key = (ctx: TaskHookContext): string => `${ctx.alloc.ID}/${ctx.task.Name}`;
  const deregister = async (ctx: TaskHookContext): Promise<void> => {
    const done = registered.get(key(ctx));
    if (!registrar || !done) return;
    registered.delete(key(ctx));
    registrar.unwatchChecks(ctx.alloc, done.services);
    await registrar.deregister(done.ids);
  };
  return {
    name: 'services',
    async poststart(ctx) {
      if (!registrar) return;
      const { nomad, consul } = nomadServices(ctx.task.Services);
      if (consul.length > 0) registrar.consulSkipped(ctx.alloc, ctx.task.Name, ctx.logger);
      if (nomad.length === 0) return;
      const env = ctx.envBuilder.build();
      const interpolate = (s: string): string => env.replace(s);
      const regs = buildRegistrations(ctx.alloc, registrar.node(), ctx.task.Name, nomad, interpolate);
      const services = nomad.map((s) => interpolateService(s, interpolate));
      registered.set(key(ctx), { ids: regs.map((r) => r.ID), services });
      registrar.watchChecks(ctx.alloc, ctx.task.Name, ctx.task.Name, services);
      await registrar.register(regs, ctx.signal);
    },
    preKill: deregister,
    exited: deregister,
    stop: deregister,
  };
}

/** Without a registrar: runs at its points and registers nothing. */
export const servicesHook: TaskHook = createServicesHook();

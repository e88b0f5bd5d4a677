// serviceHook: registers the task-level `service` blocks with provider "nomad" once the task runs
// (poststart), and deregisters them before the task is killed (preKill, before shutdown_delay)
// and when it is done for good (stop), as Nomad's service_hook.go does. Names, tags and
// addresses are interpolated with the task's environment. Consul services are skipped (logged once).
import { buildRegistrations, nomadServices, type ServiceRegistrar } from '../../services.js';
import type { TaskHook, TaskHookContext } from '../hook.js';

export function createServicesHook(registrar?: ServiceRegistrar): TaskHook {
  const registered = new Map<string, string[]>();
  const key = (ctx: TaskHookContext): string => `${ctx.alloc.ID}/${ctx.task.Name}`;
  const deregister = async (ctx: TaskHookContext): Promise<void> => {
    const ids = registered.get(key(ctx));
    if (!registrar || !ids) return;
    registered.delete(key(ctx));
    await registrar.deregister(ids);
  };
  return {
    name: 'services',
    async poststart(ctx) {
      if (!registrar) return;
      const { nomad, consul } = nomadServices(ctx.task.Services);
      if (consul.length > 0) registrar.consulSkipped(ctx.alloc, ctx.task.Name, ctx.logger);
      if (nomad.length === 0) return;
      const env = ctx.envBuilder.build();
      const regs = buildRegistrations(ctx.alloc, registrar.node(), ctx.task.Name, nomad, (s) => env.replace(s));
      registered.set(key(ctx), regs.map((r) => r.ID));
      await registrar.register(regs, ctx.signal);
    },
    preKill: deregister,
    stop: deregister,
  };
}

/** Without a registrar: runs at its points and registers nothing. */
export const servicesHook: TaskHook = createServicesHook();

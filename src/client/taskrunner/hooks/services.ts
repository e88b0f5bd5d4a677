// serviceHook — HOOK POINT. Nomad registers task-level `service` blocks (Nomad or Consul
// provider) once the task runs and deregisters them before it is killed (after shutdown_delay).
// Registration belongs to the service-discovery issue, which fills poststart/preKill/stop here;
// until then the hook runs at its points in the order and registers nothing.
import type { TaskHook, TaskHookContext } from '../hook.js';

export const servicesHook: TaskHook = {
  name: 'services',
  poststart(ctx: TaskHookContext): Promise<void> {
    if (ctx.task.Services?.length) ctx.logger.debug('task services are not registered yet (service discovery is a later issue)', { task: ctx.task.Name });
    return Promise.resolve();
  },
  preKill(): Promise<void> {
    return Promise.resolve();
  },
  stop(): Promise<void> {
    return Promise.resolve();
  },
};

// envHook: prepares the task environment builder for this start — the agent's own environment
// (filtered by Nomad's denylist) for drivers without filesystem isolation, and the current node
// and allocation. The task's `env` block, hook and template environments are merged by the
// builder in Nomad's order when the driver starts (taskenv.ts).
import type { TaskHook, TaskHookContext } from '../hook.js';

export const envHook: TaskHook = {
  name: 'env',
  prestart(ctx: TaskHookContext): Promise<void> {
    ctx.envBuilder.setAlloc(ctx.alloc);
    if ((ctx.capabilities?.fsIsolation ?? 'none') === 'none') ctx.envBuilder.setHostEnv(ctx.hostEnv);
    else ctx.envBuilder.setHostEnv({});
    return Promise.resolve();
  },
};

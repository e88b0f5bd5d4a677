// templateHook — HOOK POINT. Nomad renders `template` blocks here (the first render completes
// before the task starts, so `env = true` templates can feed the environment through
// TaskEnvBuilder.setTemplateEnv). Rendering, change_mode and the "Template" events belong to the
// templates issue, which fills this hook; until then it runs in its place and renders nothing.
import type { TaskHook, TaskHookContext } from '../hook.js';

export const templatesHook: TaskHook = {
  name: 'templates',
  prestart(ctx: TaskHookContext): Promise<void> {
    if (ctx.task.Templates?.length) ctx.logger.warn('template rendering is not implemented yet; skipping', { task: ctx.task.Name, count: ctx.task.Templates.length });
    return Promise.resolve();
  },
};

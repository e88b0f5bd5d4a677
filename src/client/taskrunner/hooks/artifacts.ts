// artifactHook — HOOK POINT. Nomad downloads `artifact` blocks here with go-getter, emitting
// "Downloading Artifacts" / "Failed Artifact Download", before templates render (templates may
// read downloaded files). The download itself belongs to a later issue (artifacts); until then
// this hook runs in its place in the order, records that it ran, and downloads nothing.
import type { TaskHook, TaskHookContext } from '../hook.js';

export const artifactsHook: TaskHook = {
  name: 'artifacts',
  prestart(ctx: TaskHookContext): Promise<void> {
    if (ctx.task.Artifacts?.length) ctx.logger.warn('artifact downloads are not implemented yet; skipping', { task: ctx.task.Name, count: ctx.task.Artifacts.length });
    return Promise.resolve();
  },
};

// artifactHook — Nomad downloads `artifact` blocks here with go-getter, emitting "Downloading
// Artifacts" / "Failed Artifact Download", before templates render (templates may read the
// downloaded files). Downloads belong to a later issue (issue 12). Until then a task with
// `artifact` blocks fails its start with "Failed Artifact Download" and a message saying why:
// running it without the files it asked for would be worse than not running it.
import { TaskEventType } from '../../../structs/alloc.js';
import { newTaskEvent } from '../../task-events.js';
import { UnrecoverableHookError, type TaskHook, type TaskHookContext } from '../hook.js';

export const artifactsHook: TaskHook = {
  name: 'artifacts',
  prestart(ctx: TaskHookContext): Promise<void> {
    const artifacts = ctx.task.Artifacts ?? [];
    if (artifacts.length === 0) return Promise.resolve();
    const sources = artifacts.map((a) => a.GetterSource).join(', ');
    const msg = `artifact downloads are not supported by this Roam version yet; task ${JSON.stringify(ctx.task.Name)} has ${artifacts.length} artifact block(s) (${sources})`;
    ctx.logger.error('task has artifact blocks, which this Roam version cannot download; failing the task', { task: ctx.task.Name, count: artifacts.length });
    ctx.emitEvent(newTaskEvent(TaskEventType.ArtifactDownloadFailed, ctx.now(), { DownloadError: msg, FailsTask: true }));
    return Promise.reject(new UnrecoverableHookError(msg));
  },
};

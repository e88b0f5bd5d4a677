// taskDirHook: builds the task's directories (local/, secrets/, tmp/, private/) inside the alloc
// dir, emits Nomad's "Task Setup" / "Building Task Directory" event the first time, and sets
// NOMAD_ALLOC_DIR / NOMAD_TASK_DIR / NOMAD_SECRETS_DIR according to the driver's isolation.
import { TaskEventType } from '../../../structs/alloc.js';
import { newTaskEvent } from '../../task-events.js';
import type { PrestartResult, TaskHook, TaskHookContext } from '../hook.js';

export const taskDirHook: TaskHook = {
  name: 'task_dir',
  prestart(ctx: TaskHookContext, previous: Record<string, string>): Promise<PrestartResult> {
    const built = previous['built'] === 'true';
    if (!built) ctx.emitEvent(newTaskEvent(TaskEventType.Setup, ctx.now(), { Message: TaskEventType.BuildingTaskDir }));
    // Always re-create: idempotent, and it repairs a directory removed while the agent was down.
    ctx.allocDir.buildTaskDir(ctx.task.Name);
    ctx.envBuilder.setTaskDirs(ctx.capabilities?.fsIsolation ?? 'none', ctx.taskDirs);
    return Promise.resolve({ state: { built: 'true' } });
  },
};

// The task runner's hook list, built in this one place (Nomad's task_runner_hooks.go initHooks).
// The order is the contract:
//   1. task_dir   — everything after writes into the task's directories, and the env needs their paths;
//   2. env        — host env and alloc for the environment builder, before anything interpolates;
//   3. artifacts  — (hook point) downloads land in local/ before templates, which may read them;
//   4. templates  — (hook point) rendered after artifacts; env templates must finish before the
//                   driver builds the final environment;
//   5. logs       — log settings and the log dir, last thing before the driver opens the files;
//   6. services   — (hook point) registered in poststart, once the task runs; deregistered in preKill;
// then the driver starts the task. Poststart, preKill, exited and stop hooks run in the same order.
import type { TaskHook } from './hook.js';
import { artifactsHook } from './hooks/artifacts.js';
import { envHook } from './hooks/env.js';
import { logsHook } from './hooks/logs.js';
import { servicesHook } from './hooks/services.js';
import { taskDirHook } from './hooks/task-dir.js';
import { templatesHook } from './hooks/templates.js';

export function buildTaskHooks(): TaskHook[] {
  return [taskDirHook, envHook, artifactsHook, templatesHook, logsHook, servicesHook];
}

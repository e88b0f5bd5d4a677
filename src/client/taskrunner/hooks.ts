// The task runner's hook list, built in this one place (Nomad's task_runner_hooks.go initHooks).
// The order is the contract:
//   1. task_dir   — everything after writes into the task's directories, and the env needs their paths;
//   2. env        — host env and alloc for the environment builder, before anything interpolates;
//   2b. dispatch_payload — a dispatched job's payload in local/, before templates may read it;
//   3. artifacts  — downloads land in local/ before templates, which may read them;
//   4. templates  — first render after artifacts; env templates must finish before the
//                   driver builds the final environment;
//   5. logs       — log settings and the log dir, last thing before the driver opens the files;
//   6. services   — provider="nomad" services registered in poststart, once the task runs;
//                   deregistered in preKill and stop;
// then the driver starts the task. Poststart, preKill, exited and stop hooks run in the same order.
import type { TaskHook } from './hook.js';
import { artifactsHook, createArtifactsHook } from './hooks/artifacts.js';
import { dispatchPayloadHook } from './hooks/dispatch-payload.js';
import { envHook } from './hooks/env.js';
import { logsHook } from './hooks/logs.js';
import { createServicesHook, servicesHook } from './hooks/services.js';
import { taskDirHook } from './hooks/task-dir.js';
import { createTemplatesHook, templatesHook, type TemplatesHookOptions } from './hooks/templates.js';
import type { ServiceRegistrar } from '../services.js';
import type { ArtifactGetterOptions } from '../artifacts/getter.js';

/**
 * `templates`: where the templates hook gets cluster data (the client passes its API); none by default.
 * `artifacts`: the client's `artifact` settings; Nomad's defaults when absent.
 */
export function buildTaskHooks(opts: { templates?: TemplatesHookOptions; services?: ServiceRegistrar; artifacts?: ArtifactGetterOptions } = {}): TaskHook[] {
  const artifacts = opts.artifacts ? createArtifactsHook(opts.artifacts) : artifactsHook;
  const templates = opts.templates ? createTemplatesHook(opts.templates) : templatesHook;
  const services = opts.services ? createServicesHook(opts.services) : servicesHook;
  return [taskDirHook, envHook, dispatchPayloadHook, artifacts, templates, logsHook, services];
}

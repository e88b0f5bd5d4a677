// templatesHook: the task's `template` blocks (Nomad's template_hook.go). One template manager per
// task (template-manager.ts) lives from the first prestart until the task is done:
//   - prestart, first start: render every template before the driver starts (the first render
//     blocks on missing data with `Template` "Missing: …" events), write them, set the env
//     templates' layer of the task environment, then watch the data and re-render on change with
//     the templates' change_mode, splay and wait;
//   - prestart, later starts (the task restarted): nothing, the manager keeps the files and the
//     env current — unless the restart policy says render_templates = true, which starts over;
//   - poststart of a task re-attached after an agent restart (its prestart did not run): the
//     first render happens in the background and files that changed get their change action;
//   - stop: the manager stops watching.
// A template that cannot render fails the start for good: "Killing" with "Template failed: …"
// (FailsTask), as Nomad's template manager kills the task, then the task runner's Not Restarting.
// A source/destination outside the task dir fails it the same way with a "Setup Failure" event.
import { lookupTaskGroup } from '../../../structs/job.js';
import { errorMessage } from '../../async.js';
import type { TaskHook, TaskHookContext } from '../hook.js';
import type { ClientTemplateConfig, Timers } from './template-changes.js';
import { CachingTemplateDataSource, type FetchResult, type TemplateDataSource } from './template-data.js';
import { TaskTemplateManager, type TemplateManagerOptions } from './template-manager.js';

export { DEFAULT_MISSING_EVENT_INTERVAL_MS, DEFAULT_TEMPLATE_RETRY_MS } from './template-manager.js';
export { missingMessage, parsePerms } from './template-files.js';

export interface TemplatesHookOptions {
  /** The cluster data of one task; default: none (every nomadService / nomadVar stays missing). */
  dataSource?: (ctx: TaskHookContext) => TemplateDataSource;
  retryMs?: number;
  missingEventIntervalMs?: number;
  /** The client's `template` settings (default wait, wait bounds). */
  client?: ClientTemplateConfig;
  timers?: Timers;
  random?: () => number;
  watch?: TemplateManagerOptions['watch'];
}

/** Without servers there is no cluster data: templates that need it wait (and say so) until killed. */
class NoClusterData extends CachingTemplateDataSource {
  override refresh(): Promise<void> {
    return Promise.resolve();
  }
  fetch(): Promise<FetchResult> {
    return Promise.reject(new Error('this client has no cluster data source for templates'));
  }
}

/** Nomad's RestartPolicy.RenderTemplates: re-render from scratch on every restart of the task. */
function renderOnRestart(ctx: TaskHookContext): boolean {
  const job = ctx.alloc.Job;
  const group = job ? lookupTaskGroup(job, ctx.alloc.TaskGroup) : undefined;
  return (ctx.task.RestartPolicy ?? group?.RestartPolicy)?.RenderTemplates === true;
}

export function createTemplatesHook(opts: TemplatesHookOptions = {}): TaskHook {
  const managers = new Map<string, TaskTemplateManager>();
  const keyOf = (ctx: TaskHookContext): string => `${ctx.alloc.ID}/${ctx.task.Name}`;
  const newManager = (ctx: TaskHookContext): TaskTemplateManager => {
    const key = keyOf(ctx);
    const m: TaskTemplateManager = new TaskTemplateManager(ctx, {
      source: opts.dataSource?.(ctx) ?? new NoClusterData(),
      ...(opts.retryMs !== undefined ? { retryMs: opts.retryMs } : {}),
      ...(opts.missingEventIntervalMs !== undefined ? { missingEventIntervalMs: opts.missingEventIntervalMs } : {}),
      ...(opts.client ? { client: opts.client } : {}),
      ...(opts.timers ? { timers: opts.timers } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.watch ? { watch: opts.watch } : {}),
      onStopped: () => {
        if (managers.get(key) === m) managers.delete(key);
      },
    });
    managers.set(key, m);
    return m;
  };
  return {
    name: 'templates',
    async prestart(ctx: TaskHookContext): Promise<void> {
      if ((ctx.task.Templates ?? []).length === 0) {
        ctx.envBuilder.setTemplateEnv({});
        return;
      }
      const existing = managers.get(keyOf(ctx));
      if (existing && !existing.stopped) {
        if (!renderOnRestart(ctx)) return;
        ctx.logger.info('re-rendering templates on task restart', { task: ctx.task.Name });
        await existing.stop();
      }
      // The env a template sees is the task's own, never a previous start's template output.
      ctx.envBuilder.setTemplateEnv({});
      const m = newManager(ctx);
      let rendered = false;
      try {
        rendered = await m.firstRender(false);
      } finally {
        if (!rendered) await m.stop();
      }
      if (rendered) m.startWatching();
    },
    poststart(ctx: TaskHookContext): Promise<void> {
      if ((ctx.task.Templates ?? []).length === 0 || managers.has(keyOf(ctx))) return Promise.resolve();
      // Re-attached after an agent restart: render and watch without holding up the task.
      const m = newManager(ctx);
      void m.firstRender(true).then(
        (ok) => (ok ? m.startWatching() : m.stop()),
        (err: unknown) => {
          ctx.logger.warn('templates of a re-attached task failed to render', { task: ctx.task.Name, error: errorMessage(err) });
          return m.stop();
        },
      );
      return Promise.resolve();
    },
    async stop(ctx: TaskHookContext): Promise<void> {
      await managers.get(keyOf(ctx))?.stop();
    },
  };
}

/** The hook without cluster data (tests, or a client without servers). */
export const templatesHook: TaskHook = createTemplatesHook();

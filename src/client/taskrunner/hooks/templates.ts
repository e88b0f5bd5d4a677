// templatesHook: renders the task's `template` blocks before the driver starts (Nomad's
// template_hook.go Prestart + TaskTemplateManager's first render):
//   1. the text comes from `data` (EmbeddedTmpl) or `source` (relative to the task dir, confined);
//   2. it renders with the task's environment as the task will see it (interpolated, without any
//      template env), the job's namespace, the delimiters, error_on_missing_key, a `file` reader
//      confined to the task dir, and cluster data from a TemplateDataSource (the client's API);
//   3. while dependencies have no data yet it emits `Template` "Missing: nomad.service(x)" (at
//      most every 3 s) and retries every second, until all are there or the task is killed;
//   4. each output is written atomically to `destination` (confined, parents created, `perms`);
//   5. `env = true` outputs are parsed as env files (go-envparse) and become the template layer
//      of the task environment (TaskEnvBuilder.setTemplateEnv), which overrides the task's `env`.
// A template that cannot render fails the start for good: "Killing" with "Template failed: …"
// (FailsTask), as Nomad's template manager kills the task, then the task runner's Not Restarting.
// A source/destination outside the task dir fails it the same way with a "Setup Failure" event.
//
// Only the first render is done here. Watching dependencies and re-rendering on change
// (change_mode restart/signal/noop/script, splay, once, wait) belongs to the templates issue.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TaskEventType } from '../../../structs/alloc.js';
import type { Template as TaskTemplate } from '../../../structs/job.js';
import { EMPTY_PROVIDER, parseNomadTemplate, renderParsedTemplate, TemplateError, type Template } from '../../../template/index.js';
import { errorMessage, sleep } from '../../async.js';
import { newTaskEvent } from '../../task-events.js';
import { UnrecoverableHookError, type TaskHook, type TaskHookContext } from '../hook.js';
import type { TemplateDataSource } from './template-data.js';
import { EnvParseError, parseEnvFile } from './template-envparse.js';
import { confinedPath } from './template-paths.js';

/** consul-template's source name for templates given inline (`data`). */
const DYNAMIC_SOURCE = '(dynamic)';
/** Nomad lists at most this many missing dependencies in one event. */
const MISSING_DEPENDENCY_LIMIT = 3;
export const DEFAULT_TEMPLATE_RETRY_MS = 1_000;
export const DEFAULT_MISSING_EVENT_INTERVAL_MS = 3_000;

export interface TemplatesHookOptions {
  /** The cluster data of one task start; default: none (every nomadService / nomadVar stays missing). */
  dataSource?: (ctx: TaskHookContext) => TemplateDataSource;
  retryMs?: number;
  missingEventIntervalMs?: number;
}

/** Nomad's "Missing: a, b, c, and N more" (sorted). */
export function missingMessage(missing: readonly string[]): string {
  const sorted = [...new Set(missing)].sort();
  const shown = sorted.slice(0, MISSING_DEPENDENCY_LIMIT);
  if (sorted.length > MISSING_DEPENDENCY_LIMIT) shown.push(`and ${sorted.length - MISSING_DEPENDENCY_LIMIT} more`);
  return `Missing: ${shown.join(', ')}`;
}

/** "0644" → 0o644; throws on anything that is not an octal mode. */
export function parsePerms(perms: string): number {
  const p = perms.trim() === '' ? '0644' : perms.trim();
  if (!/^[0-7]{1,4}$/.test(p)) throw new Error(`invalid perms ${JSON.stringify(perms)}: expected an octal file mode such as "0644"`);
  return parseInt(p, 8);
}

function emptySource(): TemplateDataSource {
  return { provider: EMPTY_PROVIDER, refresh: () => Promise.resolve() };
}

/** Fails the start: the event has been emitted; the task runner will not retry. */
function failWith(ctx: TaskHookContext, kind: 'setup' | 'template', message: string): never {
  if (kind === 'setup') {
    ctx.emitEvent(newTaskEvent(TaskEventType.SetupFailure, ctx.now(), { SetupError: message, FailsTask: true }));
  } else {
    const ev = newTaskEvent(TaskEventType.Killing, ctx.now(), { Message: message, KillReason: message, FailsTask: true });
    ev.DisplayMessage = message;
    ctx.emitEvent(ev);
  }
  throw new UnrecoverableHookError(message);
}

interface Prepared {
  index: number;
  spec: TaskTemplate;
  source: string;
  parsed: Template;
  dest: string;
  mode: number;
}

function templateFailure(source: string, err: unknown): string {
  if (err instanceof TemplateError) return `Template failed: ${source}: ${err.phase === 'parse' ? 'parse' : 'execute'}: ${err.message}`;
  return `Template failed: ${source}: ${errorMessage(err)}`;
}

function prepare(ctx: TaskHookContext, spec: TaskTemplate, index: number): Prepared {
  const taskDir = ctx.taskDirs.dir;
  let text = spec.EmbeddedTmpl;
  let source = DYNAMIC_SOURCE;
  if (spec.SourcePath !== '') {
    source = spec.SourcePath;
    let src: string;
    try {
      src = confinedPath(taskDir, spec.SourcePath, 'template source');
    } catch (err) {
      return failWith(ctx, 'setup', `failed to read template source: ${errorMessage(err)}`);
    }
    try {
      text = fs.readFileSync(src, 'utf8');
    } catch (err) {
      return failWith(ctx, 'setup', `failed to read template source ${JSON.stringify(spec.SourcePath)}: ${errorMessage(err)}`);
    }
  } else if (spec.EmbeddedTmpl === '') {
    return failWith(ctx, 'setup', `template ${index + 1}: must specify a source path or have an embedded template`);
  }
  if (spec.DestPath === '') return failWith(ctx, 'setup', `template ${index + 1}: must specify a destination`);
  let dest: string;
  try {
    dest = confinedPath(taskDir, spec.DestPath, 'template destination');
  } catch (err) {
    return failWith(ctx, 'setup', `failed to render template: ${errorMessage(err)}`);
  }
  let mode: number;
  try {
    mode = parsePerms(spec.Perms);
  } catch (err) {
    return failWith(ctx, 'setup', `template ${JSON.stringify(spec.DestPath)}: ${errorMessage(err)}`);
  }
  let parsed: Template;
  try {
    parsed = parseNomadTemplate(source === DYNAMIC_SOURCE ? '' : source, text, { leftDelim: spec.LeftDelim, rightDelim: spec.RightDelim });
  } catch (err) {
    return failWith(ctx, 'template', templateFailure(source, err));
  }
  return { index, spec, source, parsed, dest, mode };
}

/** Writes `content` to `dest` through a temporary file in the same directory and a rename. */
function writeAtomic(dest: string, content: string, mode: number, owner: { uid: number | null; gid: number | null }): void {
  const dir = path.dirname(dest);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode); // the umask must not narrow the requested perms
    if ((owner.uid !== null || owner.gid !== null) && process.getuid?.() === 0) fs.chownSync(tmp, owner.uid ?? -1, owner.gid ?? -1);
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function createTemplatesHook(opts: TemplatesHookOptions = {}): TaskHook {
  const retryMs = opts.retryMs ?? DEFAULT_TEMPLATE_RETRY_MS;
  const eventEveryMs = opts.missingEventIntervalMs ?? DEFAULT_MISSING_EVENT_INTERVAL_MS;
  return {
    name: 'templates',
    async prestart(ctx: TaskHookContext): Promise<void> {
      const specs = ctx.task.Templates ?? [];
      // The env a template sees is the task's own, never a previous start's template output.
      ctx.envBuilder.setTemplateEnv({});
      if (specs.length === 0) return;
      const prepared = specs.map((spec, i) => prepare(ctx, spec, i));
      const taskEnv = ctx.envBuilder.build().env;
      const namespace = ctx.alloc.Namespace || ctx.alloc.Job?.Namespace || 'default';
      const taskDir = ctx.taskDirs.dir;
      const readFile = (p: string): string | undefined => {
        const real = confinedPath(taskDir, p, 'file');
        try {
          return fs.readFileSync(real, 'utf8');
        } catch (err) {
          if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
          throw err;
        }
      };
      const data = opts.dataSource?.(ctx) ?? emptySource();
      const signal = ctx.signal;

      let outputs: string[] = [];
      let lastEventAt = -Infinity;
      let fetchedOnce = false;
      for (;;) {
        const missing: string[] = [];
        outputs = prepared.map((p) => {
          try {
            const r = renderParsedTemplate(p.parsed, { provider: data.provider, env: taskEnv, namespace, errorOnMissingKey: p.spec.ErrMissingKey, readFile });
            missing.push(...r.missing);
            return r.output;
          } catch (err) {
            return failWith(ctx, 'template', templateFailure(p.source, err));
          }
        });
        if (missing.length === 0) break;
        if (fetchedOnce) {
          if (ctx.now() - lastEventAt >= eventEveryMs) {
            const msg = missingMessage(missing);
            const ev = newTaskEvent(TaskEventType.Template, ctx.now(), { Message: msg });
            ev.DisplayMessage = msg;
            ctx.emitEvent(ev);
            lastEventAt = ctx.now();
          }
          ctx.logger.debug('template dependencies missing; waiting', { task: ctx.task.Name, missing: [...new Set(missing)].sort().join(', ') });
          if ((await sleep(retryMs, signal)) === 'aborted') return;
        }
        if (signal?.aborted) return;
        await data.refresh(signal).catch((err: unknown) => ctx.logger.warn('fetching template data failed; will retry', { task: ctx.task.Name, error: errorMessage(err) }));
        if (signal?.aborted) return;
        fetchedOnce = true;
      }

      const templateEnv: Record<string, string> = {};
      for (const p of prepared) {
        const out = outputs[p.index] ?? '';
        try {
          writeAtomic(p.dest, out, p.mode, { uid: p.spec.Uid, gid: p.spec.Gid });
        } catch (err) {
          failWith(ctx, 'template', `Template failed: ${p.source}: failed writing ${JSON.stringify(p.spec.DestPath)}: ${errorMessage(err)}`);
        }
        if (p.spec.Envvars) {
          try {
            Object.assign(templateEnv, parseEnvFile(out));
          } catch (err) {
            const reason = err instanceof EnvParseError ? err.message : errorMessage(err);
            failWith(ctx, 'template', `Template failed: error parsing env template ${JSON.stringify(p.spec.DestPath)}: ${reason}`);
          }
        }
      }
      ctx.envBuilder.setTemplateEnv(templateEnv);
      ctx.logger.debug('templates rendered (first render; re-rendering on change belongs to the templates issue)', { task: ctx.task.Name, count: prepared.length });
    },
  };
}

/** The hook without cluster data (tests, or a client without servers). */
export const templatesHook: TaskHook = createTemplatesHook();

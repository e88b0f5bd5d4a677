// The template manager of one task (Nomad's TaskTemplateManager with its consul-template runner):
//   1. first render (blocks the task start): render every template until no dependency is
//      missing, emitting `Template` "Missing: …" at most every 3 s; write each output atomically
//      when it differs from the file; env templates become the template layer of the task env;
//   2. then, unless every template is `once`, watch the data the watched templates used (one
//      blocking query per distinct dependency, template-watch.ts) and re-render on change: a
//      template whose output changed is written (after its `wait` quiescence, if any), env
//      templates reload the task env, and the templates that changed together get one change
//      action (template-changes.ts) after a random splay: restart, signals, or scripts;
//   3. a template that stops rendering, an env file that stops parsing, a signal that cannot be
//      sent or a failing change_script with fail_on_error kill the task as Nomad's manager does.
// The manager lives from the first prestart until the task is done (stop), across restarts of
// the task; it acts on the task only through ctx.lifecycle (the task runner's restart/signal/exec).
import fs from 'node:fs';
import { TaskEventType, type TaskEvent } from '../../../structs/alloc.js';
import type { ChangeScript } from '../../../structs/job.js';
import { renderParsedTemplate, type RenderResult } from '../../../template/index.js';
import { errorMessage } from '../../async.js';
import { newTaskEvent } from '../../task-events.js';
import { TaskNotRunningError, UnrecoverableHookError, type TaskHookContext } from '../hook.js';
import { effectiveWait, planChangeAction, Quiescence, REAL_TIMERS, splayDelayMs, type ChangeAction, type ClientTemplateConfig, type Timers } from './template-changes.js';
import type { TemplateDataSource } from './template-data.js';
import { EnvParseError, parseEnvFile } from './template-envparse.js';
import { prepareTemplate, readExisting, templateFailure, TemplateSetupError, writeAtomic, missingMessage, type PreparedTemplate } from './template-files.js';
import { confinedPath } from './template-paths.js';
import { DependencyWatcher, type DependencyWatcherOptions } from './template-watch.js';

export const DEFAULT_TEMPLATE_RETRY_MS = 1_000;
/** Nomad's DefaultMaxTemplateEventRate. */
export const DEFAULT_MISSING_EVENT_INTERVAL_MS = 3_000;

export interface TemplateManagerOptions {
  source: TemplateDataSource;
  retryMs?: number;
  missingEventIntervalMs?: number;
  timers?: Timers;
  /** Uniform in [0, 1): the splay. */
  random?: () => number;
  client?: ClientTemplateConfig;
  watch?: Partial<Pick<DependencyWatcherOptions, 'blockQueryWaitMs' | 'minQueryIntervalMs' | 'retryBaseMs' | 'retryMaxMs'>>;
  /** Called once the manager has stopped (by stop() or because the task was killed or shut down). */
  onStopped?: () => void;
}

/** Resolves after `ms` on `timers`, or as soon as `signal` aborts. */
export function timerSleep(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      timers.clearTimeout(h);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const h = timers.setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Go's %v of a []string: [a b]. */
function goList(xs: readonly string[] | null): string {
  return `[${(xs ?? []).join(' ')}]`;
}

function displayEvent(type: string, now: number, message: string, fields: Parameters<typeof newTaskEvent>[2] = {}): TaskEvent {
  const ev = newTaskEvent(type, now, fields);
  ev.DisplayMessage = message;
  return ev;
}

export class TaskTemplateManager {
  private readonly ctl = new AbortController();
  private readonly timers: Timers;
  private readonly random: () => number;
  private prepared: PreparedTemplate[] = [];
  private watched: PreparedTemplate[] = [];
  /** The output last written (or found on disk) per template index. */
  private readonly last = new Map<number, string>();
  private readonly quiet = new Map<number, Quiescence>();
  private watcher: DependencyWatcher | null = null;
  private pending: PreparedTemplate[] = [];
  private acting: Promise<void> | null = null;
  private renderTimer: unknown = undefined;
  private taskEnv: Readonly<Record<string, string>> = {};
  private readonly namespace: string;
  private stopping: Promise<void> | null = null;
  /** Whether failures are reported by killing the running task (after the first render) or by failing the start. */
  private taskRunning = false;

  constructor(
    private readonly ctx: TaskHookContext,
    private readonly opts: TemplateManagerOptions,
  ) {
    this.timers = opts.timers ?? REAL_TIMERS;
    this.random = opts.random ?? Math.random;
    this.namespace = ctx.alloc.Namespace || ctx.alloc.Job?.Namespace || 'default';
    ctx.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get stopped(): boolean {
    return this.ctl.signal.aborted;
  }

  /** The keys of the dependencies being watched (tests, debugging). */
  watching(): string[] {
    return this.watcher?.watching() ?? [];
  }

  /**
   * Renders every template until none lacks data, writes them, sets the template env. With
   * `taskRunning` (a task re-attached after an agent restart) files that differ from what is on
   * disk get their change action, as Nomad's first render of a running task does. Returns false
   * when the task was killed or the manager stopped while waiting; throws UnrecoverableHookError
   * (after its event) when a template cannot render.
   */
  async firstRender(taskRunning: boolean): Promise<boolean> {
    const ctx = this.ctx;
    this.taskRunning = taskRunning;
    const specs = ctx.task.Templates ?? [];
    try {
      this.prepared = specs.map((spec, i) => prepareTemplate(ctx.taskDirs.dir, spec, i));
    } catch (err) {
      if (!(err instanceof TemplateSetupError)) throw err;
      this.report(err.kind, err.message);
      throw new UnrecoverableHookError(err.message);
    }
    this.watched = this.prepared.filter((p) => !p.spec.Once);
    // The env a template sees is the task's own, never a template's output.
    this.taskEnv = ctx.envBuilder.build().env;
    const source = this.opts.source;
    const retryMs = this.opts.retryMs ?? DEFAULT_TEMPLATE_RETRY_MS;
    const eventEveryMs = this.opts.missingEventIntervalMs ?? DEFAULT_MISSING_EVENT_INTERVAL_MS;
    const signal = this.ctl.signal;

    let outputs: string[] = [];
    let lastEventAt = -Infinity;
    let fetchedOnce = false;
    for (;;) {
      const missing: string[] = [];
      outputs = this.prepared.map((p) => {
        const r = this.render(p);
        if (r === null) throw new UnrecoverableHookError('template failed');
        missing.push(...r.missing);
        return r.output;
      });
      if (missing.length === 0) break;
      if (fetchedOnce) {
        if (ctx.now() - lastEventAt >= eventEveryMs) {
          ctx.emitEvent(displayEvent(TaskEventType.Template, ctx.now(), missingMessage(missing), { Message: missingMessage(missing) }));
          lastEventAt = ctx.now();
        }
        ctx.logger.debug('template dependencies missing; waiting', { task: ctx.task.Name, missing: [...new Set(missing)].sort().join(', ') });
        await timerSleep(this.timers, retryMs, signal);
      }
      if (signal.aborted) return false;
      await source.refresh(signal).catch((err: unknown) => ctx.logger.warn('fetching template data failed; will retry', { task: ctx.task.Name, error: errorMessage(err) }));
      if (signal.aborted) return false;
      fetchedOnce = true;
    }

    const written: PreparedTemplate[] = [];
    for (const p of this.prepared) {
      const out = outputs[p.index] ?? '';
      if (readExisting(p.dest) !== out) {
        if (!this.write(p, out)) throw new UnrecoverableHookError('template failed');
        written.push(p);
      }
      this.last.set(p.index, out);
    }
    if (!this.reloadEnv()) throw new UnrecoverableHookError('template failed');
    if (taskRunning && written.length > 0) this.enqueue(written.filter((p) => !p.spec.Once));
    this.taskRunning = true;
    ctx.logger.debug('templates rendered', { task: ctx.task.Name, count: this.prepared.length, written: written.length });
    return true;
  }

  /** After the first render: watches what the watched templates use and re-renders on change. */
  startWatching(): void {
    if (this.stopped || this.watched.length === 0) return;
    for (const p of this.watched) {
      const w = effectiveWait(p.spec.Wait, this.opts.client);
      if (w) this.quiet.set(p.index, new Quiescence(w.minMs, w.maxMs, this.timers, () => this.renderPass(new Set([p.index]))));
    }
    this.watcher = new DependencyWatcher({
      ...this.opts.watch,
      source: this.opts.source,
      logger: this.ctx.logger,
      sleep: (ms, signal) => timerSleep(this.timers, ms, signal),
      onChange: () => this.scheduleRender(),
    });
    this.opts.source.takeUsed();
    for (const p of this.watched) this.render(p);
    this.watcher.sync(this.opts.source.takeUsed());
  }

  /** Stops watching, timers and actions; idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.ctl.abort();
      if (this.renderTimer !== undefined) this.timers.clearTimeout(this.renderTimer);
      for (const q of this.quiet.values()) q.cancel();
      await this.watcher?.stop();
      await this.acting;
      this.opts.onStopped?.();
    })();
    return this.stopping;
  }

  /** Resolves when no change action is in progress (tests). */
  async settled(): Promise<void> {
    while (this.acting) await this.acting;
  }

  // ---- re-rendering ----------------------------------------------------------------------------

  /** Dependency changes that arrive together render once. */
  private scheduleRender(): void {
    if (this.stopped || this.renderTimer !== undefined) return;
    this.renderTimer = this.timers.setTimeout(() => {
      this.renderTimer = undefined;
      this.renderPass();
    }, 0);
  }

  /**
   * Renders the watched templates (or only those in `fired`, whose quiescence ended) and writes
   * those whose output changed; templates with a wait start or extend their quiescence instead.
   */
  private renderPass(fired?: Set<number>): void {
    if (this.stopped) return;
    const source = this.opts.source;
    source.takeUsed();
    const changed: PreparedTemplate[] = [];
    for (const p of this.watched) {
      if (fired && !fired.has(p.index)) continue;
      const r = this.render(p);
      if (r === null) return;
      if (r.missing.length > 0 || r.output === this.last.get(p.index)) continue;
      const q = this.quiet.get(p.index);
      if (q && !fired) {
        q.tick();
        continue;
      }
      if (!this.write(p, r.output)) return;
      this.last.set(p.index, r.output);
      changed.push(p);
    }
    const used = source.takeUsed();
    if (!fired) this.watcher?.sync(used);
    if (changed.length === 0) return;
    this.ctx.logger.debug('templates re-rendered', { task: this.ctx.task.Name, destinations: changed.map((p) => p.spec.DestPath).join(', ') });
    if (changed.some((p) => p.spec.Envvars) && !this.reloadEnv()) return;
    this.enqueue(changed);
  }

  /** One render of one template; null after a failure has been reported. */
  private render(p: PreparedTemplate): RenderResult | null {
    const taskDir = this.ctx.taskDirs.dir;
    const readFile = (f: string): string | undefined => {
      const real = confinedPath(taskDir, f, 'file');
      try {
        return fs.readFileSync(real, 'utf8');
      } catch (err) {
        if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
        throw err;
      }
    };
    try {
      return renderParsedTemplate(p.parsed, { provider: this.opts.source.provider, env: this.taskEnv, namespace: this.namespace, errorOnMissingKey: p.spec.ErrMissingKey, readFile });
    } catch (err) {
      this.report('template', templateFailure(p.source, err));
      return null;
    }
  }

  private write(p: PreparedTemplate, out: string): boolean {
    try {
      writeAtomic(p.dest, out, p.mode, { uid: p.spec.Uid, gid: p.spec.Gid });
      return true;
    } catch (err) {
      this.report('template', `Template failed: ${p.source}: failed writing ${JSON.stringify(p.spec.DestPath)}: ${errorMessage(err)}`);
      return false;
    }
  }

  /** The env templates' pairs become the template layer of the task env (Nomad's loadTemplateEnv). */
  private reloadEnv(): boolean {
    const env: Record<string, string> = {};
    for (const p of this.prepared) {
      if (!p.spec.Envvars) continue;
      try {
        Object.assign(env, parseEnvFile(this.last.get(p.index) ?? ''));
      } catch (err) {
        const reason = err instanceof EnvParseError ? err.message : errorMessage(err);
        const msg = this.taskRunning ? `Template failed to read environment variables: error parsing env template ${JSON.stringify(p.spec.DestPath)}: ${reason}` : `Template failed: error parsing env template ${JSON.stringify(p.spec.DestPath)}: ${reason}`;
        this.report('template', msg);
        return false;
      }
    }
    this.ctx.envBuilder.setTemplateEnv(env);
    return true;
  }

  // ---- change actions --------------------------------------------------------------------------

  private enqueue(changed: PreparedTemplate[]): void {
    if (changed.length === 0) return;
    this.pending.push(...changed);
    this.acting ??= this.actLoop().finally(() => {
      this.acting = null;
    });
  }

  /** One action per batch of templates that changed together; batches that pile up during a splay act together next. */
  private async actLoop(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      const batch = this.pending.splice(0);
      const plan = planChangeAction(batch.map((p) => p.spec));
      if (!plan) continue;
      const delay = splayDelayMs(plan.splayNs, this.random);
      if (delay > 0) await timerSleep(this.timers, delay, this.ctl.signal);
      if (this.stopped) return;
      await this.apply(plan);
    }
  }

  private async apply(plan: ChangeAction): Promise<void> {
    const { ctx } = this;
    if (plan.restart) {
      const ev = displayEvent(TaskEventType.RestartSignal, ctx.now(), 'Template with change_mode restart re-rendered');
      await ctx.lifecycle.restart(ev, false).catch((err: unknown) => ctx.logger.debug('template restart skipped', { task: ctx.task.Name, error: errorMessage(err) }));
      return;
    }
    const failed: string[] = [];
    for (const sig of plan.signals) {
      const ev = displayEvent(TaskEventType.Signaling, ctx.now(), 'Template re-rendered', { TaskSignal: sig });
      try {
        await ctx.lifecycle.signal(ev, sig);
      } catch (err) {
        // A task that is not running (mid-restart) will read the new files when it starts.
        if (err instanceof TaskNotRunningError) ctx.emitEvent(displayEvent(TaskEventType.HookMessage, ctx.now(), `Template skipped signal ${sig}: task is not running`));
        else failed.push(errorMessage(err));
      }
    }
    if (failed.length > 0) {
      this.killTask(`Template failed to send signals ${goList(plan.signals)}: ${failed.join('; ')}`);
      return;
    }
    await Promise.all(plan.scripts.map((s) => this.runScript(s)));
  }

  /** A change_script inside the task (Nomad's processScript). */
  private async runScript(script: ChangeScript): Promise<void> {
    const { ctx } = this;
    const args = goList(script.Args);
    const deadline = new AbortController();
    const timeoutMs = script.Timeout / 1e6;
    const timer = this.timers.setTimeout(() => deadline.abort(), timeoutMs);
    let exitCode = 0;
    let error = '';
    try {
      const r = await ctx.lifecycle.exec({ command: [script.Command, ...(script.Args ?? [])], tty: false, stdout: () => undefined, stderr: () => undefined, signal: deadline.signal });
      exitCode = r.exitCode;
      if (deadline.signal.aborted) error = 'context deadline exceeded';
      else if (r.error) error = r.error;
    } catch (err) {
      error = deadline.signal.aborted ? 'context deadline exceeded' : errorMessage(err);
    } finally {
      this.timers.clearTimeout(timer);
    }
    let failure = '';
    if (error !== '') failure = `Template failed to run script ${script.Command} with arguments ${args} on change: ${error}. Exit code: ${exitCode}`;
    else if (exitCode !== 0) failure = `Template ran script ${script.Command} with arguments ${args} on change but it exited with code: ${exitCode}`;
    if (failure === '') {
      ctx.emitEvent(displayEvent(TaskEventType.HookMessage, ctx.now(), `Template successfully ran script ${script.Command} with arguments: ${args}. Exit code: 0`));
      return;
    }
    ctx.emitEvent(displayEvent(TaskEventType.HookFailed, ctx.now(), failure));
    if (script.FailOnError) this.killTask('Template script failed, task is being killed');
  }

  // ---- failures --------------------------------------------------------------------------------

  /** Reports a failure: before the task runs, by failing the start; after, by killing the task. */
  private report(kind: 'setup' | 'template', message: string): void {
    if (this.taskRunning) this.killTask(message);
    else this.fail(kind, message);
  }

  /** Fails the start: the event is emitted; the task runner will not retry. */
  private fail(kind: 'setup' | 'template', message: string): never {
    const ctx = this.ctx;
    if (kind === 'setup') ctx.emitEvent(newTaskEvent(TaskEventType.SetupFailure, ctx.now(), { SetupError: message, FailsTask: true }));
    else ctx.emitEvent(displayEvent(TaskEventType.Killing, ctx.now(), message, { Message: message, KillReason: message, FailsTask: true }));
    throw new UnrecoverableHookError(message);
  }

  private killTask(message: string): void {
    const ctx = this.ctx;
    ctx.logger.error('template failure; killing the task', { task: ctx.task.Name, error: message });
    ctx.lifecycle.kill(displayEvent(TaskEventType.Killing, ctx.now(), message, { KillReason: message, FailsTask: true }));
    void this.stop();
  }
}

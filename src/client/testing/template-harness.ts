// Test support for the templates hook and its manager: a task context on a temporary alloc dir
// with a recording lifecycle, an in-memory cluster whose queries block like the server's, and a
// manual clock. Used by the tests beside src/client/taskrunner/hooks/template-*.ts only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TaskEvent } from '../../structs/alloc.js';
import type { Template, TaskArtifact } from '../../structs/job.js';
import { nullLogger } from '../../structs/logger.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../structs/mock.js';
import type { ServiceRegistration } from '../../structs/services.js';
import type { ExecOptions, ExitResult } from '../../drivers/driver.js';
import { AllocDir } from '../allocdir.js';
import { TaskEnvBuilder } from '../taskenv.js';
import { TaskNotRunningError, type TaskHookContext, type TaskLifecycle } from '../taskrunner/hook.js';
import type { Timers } from '../taskrunner/hooks/template-changes.js';
import { CachingTemplateDataSource, dependencyKey, type DependencyValue, type FetchOptions, type FetchResult, type TemplateDependency } from '../taskrunner/hooks/template-data.js';

export function tmpl(over: Partial<Template>): Template {
  return {
    SourcePath: '',
    DestPath: 'local/out.txt',
    EmbeddedTmpl: '',
    ChangeMode: 'restart',
    ChangeSignal: '',
    ChangeScript: null,
    Splay: 0,
    Perms: '0644',
    Uid: null,
    Gid: null,
    LeftDelim: '{{',
    RightDelim: '}}',
    Envvars: false,
    VaultGrace: 0,
    Wait: null,
    ErrMissingKey: false,
    Once: false,
    ...over,
  };
}

/** What the task "did" when a hook acted on it, in order: "restart", "signal SIGHUP", "exec /bin/x a", "kill". */
export class RecordingLifecycle implements TaskLifecycle {
  readonly calls: string[] = [];
  running = true;
  /** What exec answers (default: exit 0). */
  execResult: (opts: ExecOptions) => Promise<ExitResult> = () => Promise.resolve({ exitCode: 0, signal: 0, oomKilled: false });
  constructor(private readonly emit: (ev: TaskEvent) => void) {}
  restart(ev: TaskEvent): Promise<void> {
    if (!this.running) return Promise.reject(new TaskNotRunningError());
    this.emit(ev);
    this.calls.push('restart');
    return Promise.resolve();
  }
  signal(ev: TaskEvent, sig: string): Promise<void> {
    if (!this.running) return Promise.reject(new TaskNotRunningError());
    this.emit(ev);
    this.calls.push(`signal ${sig}`);
    return Promise.resolve();
  }
  exec(opts: ExecOptions): Promise<ExitResult> {
    if (!this.running) return Promise.reject(new TaskNotRunningError());
    this.calls.push(`exec ${opts.command.join(' ')}`);
    return this.execResult(opts);
  }
  kill(ev: TaskEvent): void {
    this.emit(ev);
    this.calls.push('kill');
  }
  isRunning(): boolean {
    return this.running;
  }
}

export interface TemplateHarness {
  ctx: TaskHookContext;
  events: TaskEvent[];
  taskDir: string;
  abort: AbortController;
  lifecycle: RecordingLifecycle;
  read(rel: string): string;
}

export function templateHarness(t: { after(fn: () => void): void }, templates: Template[], extra: { artifacts?: TaskArtifact[]; env?: Record<string, string>; now?: () => number } = {}): TemplateHarness {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-tmpl-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const task = mockTask({ Name: 'web', Templates: templates, Artifacts: extra.artifacts ?? null, Env: extra.env ?? {} });
  const job = mockJob({ ID: 'example', Meta: { budget: '200' }, TaskGroups: [mockTaskGroup({ Name: 'g', Tasks: [task] })] });
  const node = mockNode();
  const alloc = mockAlloc(job, node, { ID: 'a1b2c3d4-0000-1111-2222-333333333333', Name: 'example.g[0]', TaskGroup: 'g' });
  const allocDir = new AllocDir(root, alloc.ID);
  allocDir.build();
  const taskDirs = allocDir.buildTaskDir('web');
  const envBuilder = new TaskEnvBuilder(node, alloc, task, 'global').setTaskDirs('none', taskDirs);
  const events: TaskEvent[] = [];
  const abort = new AbortController();
  const emitEvent = (ev: TaskEvent): void => void events.push(ev);
  const lifecycle = new RecordingLifecycle(emitEvent);
  const ctx: TaskHookContext = {
    alloc,
    task,
    allocDir,
    taskDirs,
    envBuilder,
    capabilities: null,
    hostEnv: {},
    resources: { logs: null },
    logger: nullLogger,
    emitEvent,
    now: extra.now ?? Date.now,
    signal: abort.signal,
    lifecycle,
  };
  t.after(() => abort.abort());
  return { ctx, events, taskDir: taskDirs.dir, abort, lifecycle, read: (rel) => fs.readFileSync(path.join(taskDirs.dir, rel), 'utf8') };
}

export const scope = { namespace: 'default', region: '' };
export const serviceDep = (name: string): TemplateDependency => ({ kind: 'service', name, scope });
export const varDep = (p: string): TemplateDependency => ({ kind: 'var', path: p, scope });

export function registration(service: string, address: string, port: number, id = `_nomad-task-${address}-${port}`): ServiceRegistration {
  return { ID: id, ServiceName: service, Namespace: 'default', NodeID: 'n1', Datacenter: 'dc1', JobID: 'backend', AllocID: 'a', Tags: null, Address: address, Port: port, CreateIndex: 1, ModifyIndex: 1 };
}

function emptyValue(dep: TemplateDependency): DependencyValue {
  return dep.kind === 'var' ? null : [];
}

/**
 * The cluster in memory: one global index bumped by every set(); a fetch with an index at or
 * past it blocks until the next set() or until aborted, as the server's blocking queries do.
 */
export class FakeClusterData extends CachingTemplateDataSource {
  private readonly values = new Map<string, DependencyValue>();
  private readonly waiters = new Set<() => void>();
  private index = 1;
  /** Every fetch, by dependency key, with the index it asked with. */
  readonly fetches: { key: string; index: number }[] = [];
  /** When set, fetches fail with it. */
  failWith: Error | null = null;

  set(dep: TemplateDependency, value: DependencyValue): void {
    this.index++;
    this.values.set(dependencyKey(dep), value);
    for (const w of [...this.waiters]) w();
  }

  async fetch(dep: TemplateDependency, opts: FetchOptions): Promise<FetchResult> {
    const key = dependencyKey(dep);
    this.fetches.push({ key, index: opts.index });
    if (this.failWith) throw this.failWith;
    if (opts.index > 0 && this.index <= opts.index) {
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          this.waiters.delete(wake);
          reject(new Error('aborted'));
        };
        this.waiters.add(wake);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    return { value: this.values.get(key) ?? emptyValue(dep), index: this.index };
  }

  /** Fetches currently blocked. */
  get blocked(): number {
    return this.waiters.size;
  }
}

/** Lets pending promise callbacks and I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** A clock that moves only when told: timers fire in order during advance(). */
export class ManualTimers implements Timers {
  private t = 0;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }
  /** Timers waiting, with the time they are due. */
  pending(): number[] {
    return [...this.queue.values()].map((q) => q.at).sort((a, b) => a - b);
  }
  /** Moves the clock forward by `ms`, firing every timer that falls due (and those they set), settling promises in between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.queue) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.queue.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
    await settle();
  }
}

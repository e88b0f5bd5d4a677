import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TaskEventType } from '../../../structs/alloc.js';
import type { Template } from '../../../structs/job.js';
import type { Variable } from '../../../structs/variable.js';
import { FakeClusterData, ManualTimers, registration, serviceDep, templateHarness, tmpl, varDep, type TemplateHarness } from '../../testing/template-harness.js';
import { createTemplatesHook, type TemplatesHookOptions } from './templates.js';

const SVC = '{{ range nomadService "backend" }}{{ .Address }}:{{ .Port }}\n{{ end }}';

interface Setup {
  h: TemplateHarness;
  cluster: FakeClusterData;
  timers: ManualTimers;
  hook: ReturnType<typeof createTemplatesHook>;
  /** Lets the watches see a change and the render timer fire. */
  tick(ms?: number): Promise<void>;
}

async function started(t: { after(fn: () => void): void }, templates: Template[], opts: Partial<TemplatesHookOptions> & { before?: (c: FakeClusterData) => void } = {}): Promise<Setup> {
  const timers = new ManualTimers();
  const h = templateHarness(t, templates, { now: () => timers.now() });
  const cluster = new FakeClusterData();
  cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.1', 8080)]);
  opts.before?.(cluster);
  const hook = createTemplatesHook({ dataSource: () => cluster, timers, random: () => 0.5, retryMs: 10, ...opts });
  await hook.prestart?.(h.ctx, {});
  await hook.poststart?.(h.ctx, { version: 1, driver: 'mock', taskID: 't', state: {}, startedAt: 0 });
  t.after(() => void hook.stop?.(h.ctx));
  return { h, cluster, timers, hook, tick: (ms = 0) => timers.advance(ms) };
}

test('a service change re-renders the file and restarts the task (change_mode restart)', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC })]);
  assert.equal(s.h.read('local/out.txt'), '10.0.0.1:8080\n');
  assert.deepEqual(s.h.lifecycle.calls, []);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.2', 9090)]);
  await s.tick();
  assert.equal(s.h.read('local/out.txt'), '10.0.0.2:9090\n');
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);
  const ev = s.h.events.at(-1);
  assert.equal(ev?.Type, TaskEventType.RestartSignal);
  assert.equal(ev?.DisplayMessage, 'Template with change_mode restart re-rendered');

  // The restart's prestart does not render again; the service going away renders an empty file.
  await s.hook.prestart?.(s.h.ctx, {});
  s.cluster.set(serviceDep('backend'), []);
  await s.tick();
  assert.equal(s.h.read('local/out.txt'), '');
  assert.deepEqual(s.h.lifecycle.calls, ['restart', 'restart']);
});

test('data that changes without changing the output does nothing', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: '{{ range nomadService "backend" }}{{ .Address }}{{ end }}' })]);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.1', 1234)]);
  await s.tick();
  assert.deepEqual(s.h.lifecycle.calls, []);
});

test('templates that change together coalesce: one restart wins over signals and scripts', async (t) => {
  const s = await started(t, [
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/a', ChangeMode: 'signal', ChangeSignal: 'SIGHUP' }),
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/b', ChangeMode: 'restart' }),
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/c', ChangeMode: 'script', ChangeScript: { Command: '/bin/reload', Args: [], Timeout: 5e9, FailOnError: false } }),
  ]);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.3', 1)]);
  await s.tick();
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);
  for (const f of ['local/a', 'local/b', 'local/c']) assert.equal(s.h.read(f), '10.0.0.3:1\n');
});

test('signals are deduplicated, then scripts run; events as Nomad', async (t) => {
  const s = await started(t, [
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/a', ChangeMode: 'signal', ChangeSignal: 'SIGHUP' }),
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/b', ChangeMode: 'signal', ChangeSignal: 'SIGHUP' }),
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/c', ChangeMode: 'signal', ChangeSignal: 'SIGUSR1' }),
    tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/d', ChangeMode: 'script', ChangeScript: { Command: '/bin/reload', Args: ['-q', 'x'], Timeout: 5e9, FailOnError: false } }),
  ]);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.4', 1)]);
  await s.tick();
  assert.deepEqual(s.h.lifecycle.calls, ['signal SIGHUP', 'signal SIGUSR1', 'exec /bin/reload -q x']);
  const shown = s.h.events.map((e) => `${e.Type}: ${e.DisplayMessage}`);
  assert.deepEqual(shown.slice(-3), ['Signaling: Template re-rendered', 'Signaling: Template re-rendered', 'Task hook message: Template successfully ran script /bin/reload with arguments: [-q x]. Exit code: 0']);
  assert.equal(s.h.events.at(-2)?.TaskSignal, 'SIGUSR1');
});

test('one watch per distinct dependency, shared by the templates; once templates are not watched', async (t) => {
  const s = await started(
    t,
    [
      tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/a' }),
      tmpl({ EmbeddedTmpl: SVC + '{{ with nomadVar "nomad/jobs/example" }}{{ .pw }}{{ end }}', DestPath: 'local/b' }),
      tmpl({ EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/once" }}{{ .pw }}{{ end }}', DestPath: 'local/c', Once: true }),
    ],
    {
      before: (c) => {
        c.set(varDep('nomad/jobs/example'), variable('nomad/jobs/example', { pw: 'a' }));
        c.set(varDep('nomad/jobs/once'), variable('nomad/jobs/once', { pw: 'o' }));
      },
    },
  );
  await s.tick();
  const byKey = new Map<string, number[]>();
  for (const f of s.cluster.fetches) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f.index]);
  // First render: one plain fetch each; then one watch each for the two watched dependencies (index 0, then blocking).
  assert.deepEqual([...byKey.keys()].sort(), ['service:backend@default.', 'var:nomad/jobs/example@default.', 'var:nomad/jobs/once@default.']);
  assert.equal(byKey.get('var:nomad/jobs/once@default.')?.length, 1);
  assert.equal(s.cluster.blocked, 2);
  const before = s.cluster.fetches.length;
  s.cluster.set(varDep('nomad/jobs/example'), variable('nomad/jobs/example', { pw: 'b' }));
  await s.tick();
  assert.equal(s.h.read('local/b'), '10.0.0.1:8080\nb');
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);
  // Both watches woke (one global index, as the server's) and blocked again: no storm.
  assert.equal(s.cluster.fetches.length - before, 2);
  s.cluster.set(varDep('nomad/jobs/once'), variable('nomad/jobs/once', { pw: 'p' }));
  await s.tick();
  assert.equal(s.h.read('local/c'), 'o');
});

function variable(path: string, items: Record<string, string>): Variable {
  return { Namespace: 'default', Path: path, CreateIndex: 1, ModifyIndex: 2, CreateTime: 0, ModifyTime: 0, Items: items };
}

test('splay: the file is written at once, the action waits a random time below the splay', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC, Splay: 10e9 })]);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.5', 1)]);
  await s.tick();
  assert.equal(s.h.read('local/out.txt'), '10.0.0.5:1\n');
  await s.tick(4999); // random 0.5 × 10 s
  assert.deepEqual(s.h.lifecycle.calls, []);
  // A change during the splay is written and acts with the next action, not a second one now.
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.6', 1)]);
  await s.tick();
  assert.equal(s.h.read('local/out.txt'), '10.0.0.6:1\n');
  await s.tick(1);
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);
  await s.tick(5000);
  assert.deepEqual(s.h.lifecycle.calls, ['restart', 'restart']);
});

test('wait { min, max }: the render waits for quiet data, at most max after the first change', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC, Wait: { Min: 2e9, Max: 5e9 } })]);
  for (let i = 2; i <= 5; i++) {
    s.cluster.set(serviceDep('backend'), [registration('backend', `10.0.1.${i}`, 1)]);
    await s.tick(1000);
    assert.equal(s.h.read('local/out.txt'), '10.0.0.1:8080\n');
  }
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.1.9', 1)]);
  await s.tick(999);
  assert.equal(s.h.read('local/out.txt'), '10.0.0.1:8080\n');
  await s.tick(1);
  assert.equal(s.h.read('local/out.txt'), '10.0.1.9:1\n');
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);

  // A single change renders `min` after it.
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.2.1', 1)]);
  await s.tick(1999);
  assert.equal(s.h.read('local/out.txt'), '10.0.1.9:1\n');
  await s.tick(1);
  assert.equal(s.h.read('local/out.txt'), '10.0.2.1:1\n');
});

test('the client default wait applies to templates without their own, within wait_bounds', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC })], { client: { wait: { minMs: 3000, maxMs: 9000 } } });
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.3.1', 1)]);
  await s.tick(2999);
  assert.deepEqual(s.h.lifecycle.calls, []);
  await s.tick(1);
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);
});

test('env templates reload the task env and restart the task', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: '{{ range nomadService "backend" }}BACKEND={{ .Address }}{{ end }}\n', Envvars: true })]);
  assert.equal(s.h.ctx.envBuilder.build().env['BACKEND'], '10.0.0.1');
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.7', 1)]);
  await s.tick();
  assert.equal(s.h.ctx.envBuilder.build().env['BACKEND'], '10.0.0.7');
  assert.deepEqual(s.h.lifecycle.calls, ['restart']);
});

test('noop writes the file and does nothing else', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC, ChangeMode: 'noop', Splay: 5e9 })]);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.8', 1)]);
  await s.tick(10_000);
  assert.equal(s.h.read('local/out.txt'), '10.0.0.8:1\n');
  assert.deepEqual(s.h.lifecycle.calls, []);
});

test('a signal to a task that is not running is skipped with a hook message', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC, ChangeMode: 'signal', ChangeSignal: 'SIGUSR1' })]);
  s.h.lifecycle.running = false;
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.9', 1)]);
  await s.tick();
  assert.equal(s.h.events.at(-1)?.DisplayMessage, 'Template skipped signal SIGUSR1: task is not running');
  assert.deepEqual(s.h.lifecycle.calls, []);
});

test('change_script failures: exit code, timeout, fail_on_error kills the task', async (t) => {
  const script = { Command: '/bin/reload', Args: ['a'], Timeout: 2e9, FailOnError: true };
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC, ChangeMode: 'script', ChangeScript: script })]);
  s.h.lifecycle.execResult = () => Promise.resolve({ exitCode: 3, signal: 0, oomKilled: false });
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.4.1', 1)]);
  await s.tick();
  const shown = s.h.events.slice(-2).map((e) => `${e.Type}: ${e.DisplayMessage}`);
  assert.deepEqual(shown, ['Task hook failed: Template ran script /bin/reload with arguments [a] on change but it exited with code: 3', 'Killing: Template script failed, task is being killed']);
  assert.equal(s.h.events.at(-1)?.FailsTask, true);
  assert.deepEqual(s.h.lifecycle.calls, ['exec /bin/reload a', 'kill']);

  const s2 = await started(t, [tmpl({ EmbeddedTmpl: SVC, ChangeMode: 'script', ChangeScript: { ...script, FailOnError: false } })]);
  s2.h.lifecycle.execResult = (opts) => new Promise((resolve) => opts.signal?.addEventListener('abort', () => resolve({ exitCode: 137, signal: 9, oomKilled: false })));
  s2.cluster.set(serviceDep('backend'), [registration('backend', '10.0.4.2', 1)]);
  await s2.tick(1999);
  assert.equal(s2.h.events.some((e) => e.Type === TaskEventType.HookFailed), false);
  await s2.tick(1);
  assert.equal(s2.h.events.at(-1)?.DisplayMessage, 'Template failed to run script /bin/reload with arguments [a] on change: context deadline exceeded. Exit code: 137');
  assert.deepEqual(s2.h.lifecycle.calls, ['exec /bin/reload a']);
});

test('a re-render that fails (error_on_missing_key) kills the task', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/example" }}{{ .pw }}{{ end }}', ErrMissingKey: true })], {
    before: (c) => c.set(varDep('nomad/jobs/example'), variable('nomad/jobs/example', { pw: 'a' })),
  });
  assert.equal(s.h.read('local/out.txt'), 'a');
  s.cluster.set(varDep('nomad/jobs/example'), variable('nomad/jobs/example', { other: 'b' }));
  await s.tick();
  const ev = s.h.events.at(-1);
  assert.equal(ev?.Type, TaskEventType.Killing);
  assert.equal(ev?.FailsTask, true);
  assert.match(ev?.DisplayMessage ?? '', /^Template failed: \(dynamic\): execute: .*pw/);
  assert.deepEqual(s.h.lifecycle.calls, ['kill']);
});

test('watch errors back off and recover', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC })], { watch: { retryBaseMs: 1000, retryMaxMs: 4000 } });
  // Wake the blocked watch into a failing server.
  s.cluster.failWith = new Error('connection refused');
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.0.1', 8080)]);
  await s.tick();
  const failing = s.cluster.fetches.length;
  await s.tick(999);
  assert.equal(s.cluster.fetches.length, failing);
  await s.tick(1);
  assert.equal(s.cluster.fetches.length, failing + 1); // after 1 s
  await s.tick(2000);
  assert.equal(s.cluster.fetches.length, failing + 2); // after 2 s more
  await s.tick(4000);
  await s.tick(4000);
  assert.equal(s.cluster.fetches.length, failing + 4); // capped at 4 s
  s.cluster.failWith = null;
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.5.1', 1)]);
  await s.tick(4000);
  assert.equal(s.h.read('local/out.txt'), '10.0.5.1:1\n');
});

test('stop ends every watch', async (t) => {
  const s = await started(t, [tmpl({ EmbeddedTmpl: SVC })]);
  assert.equal(s.cluster.blocked, 1);
  await s.hook.stop?.(s.h.ctx);
  assert.equal(s.cluster.blocked, 0);
  s.cluster.set(serviceDep('backend'), [registration('backend', '10.0.6.1', 1)]);
  await s.tick(60_000);
  assert.equal(s.h.read('local/out.txt'), '10.0.0.1:8080\n');
  assert.deepEqual(s.timers.pending(), []);
});

test('a task re-attached after an agent restart renders in poststart and acts on files that changed meanwhile', async (t) => {
  const timers = new ManualTimers();
  const h = templateHarness(t, [tmpl({ EmbeddedTmpl: SVC, DestPath: 'local/a' }), tmpl({ EmbeddedTmpl: 'static', DestPath: 'local/b', ChangeMode: 'signal' })], { now: () => timers.now() });
  fs.mkdirSync(path.join(h.taskDir, 'local'), { recursive: true });
  fs.writeFileSync(path.join(h.taskDir, 'local/a'), '10.0.0.1:8080\n'); // what the task saw before the agent restart
  fs.writeFileSync(path.join(h.taskDir, 'local/b'), 'static');
  const cluster = new FakeClusterData();
  cluster.set(serviceDep('backend'), [registration('backend', '10.0.9.9', 1)]);
  const hook = createTemplatesHook({ dataSource: () => cluster, timers, random: () => 0, retryMs: 10 });
  t.after(() => void hook.stop?.(h.ctx));
  await hook.poststart?.(h.ctx, { version: 1, driver: 'mock', taskID: 't', state: {}, startedAt: 0 });
  await timers.advance(0);
  assert.equal(h.read('local/a'), '10.0.9.9:1\n');
  assert.deepEqual(h.lifecycle.calls, ['restart']);
  // …and watches from then on.
  cluster.set(serviceDep('backend'), [registration('backend', '10.0.9.8', 1)]);
  await timers.advance(0);
  assert.equal(h.read('local/a'), '10.0.9.8:1\n');
  assert.deepEqual(h.lifecycle.calls, ['restart', 'restart']);
});

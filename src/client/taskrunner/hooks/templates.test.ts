import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { TaskEventType } from '../../../structs/alloc.js';
import type { Template } from '../../../structs/job.js';
import { FakeClusterData, registration, serviceDep, templateHarness, tmpl } from '../../testing/template-harness.js';
import { UnrecoverableHookError } from '../hook.js';
import { parseEnvFile } from './template-envparse.js';
import { createTemplatesHook, missingMessage } from './templates.js';

const harness = templateHarness;

test('an env-only template is written with its perms and reads back', async (t) => {
  const h = harness(t, [tmpl({ EmbeddedTmpl: 'budget={{ env "NOMAD_META_budget" }} id={{ env "NOMAD_SHORT_ALLOC_ID" }}\n', DestPath: 'local/env.txt', Perms: '0600' })]);
  await createTemplatesHook().prestart?.(h.ctx, {});
  const file = path.join(h.taskDir, 'local/env.txt');
  assert.equal(fs.readFileSync(file, 'utf8'), 'budget=200 id=a1b2c3d4\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')), []);
  assert.deepEqual(h.events, []);
});

test('parent directories of the destination are created; default perms are 0644', async (t) => {
  const h = harness(t, [tmpl({ EmbeddedTmpl: 'x', DestPath: 'local/a/b/c.conf', Perms: '' })]);
  await createTemplatesHook().prestart?.(h.ctx, {});
  const file = path.join(h.taskDir, 'local/a/b/c.conf');
  assert.equal(fs.readFileSync(file, 'utf8'), 'x');
  assert.equal(fs.statSync(file).mode & 0o777, 0o644);
});

test('env = true merges the rendered pairs into the task env, over the task env block', async (t) => {
  const h = harness(t, [tmpl({ EmbeddedTmpl: '# budget\nexport PTC_BUDGET={{ env "NOMAD_META_budget" }}\nMODE="fast # really"\nOVER=template\n', DestPath: 'local/env.txt', Envvars: true })], { env: { OVER: 'task', KEEP: 'k' } });
  await createTemplatesHook().prestart?.(h.ctx, {});
  const env = h.ctx.envBuilder.build().env;
  assert.equal(env['PTC_BUDGET'], '200');
  assert.equal(env['MODE'], 'fast # really');
  assert.equal(env['OVER'], 'template');
  assert.equal(env['KEEP'], 'k');
});

test('templates see the task env without a previous start\'s template env', async (t) => {
  const h = harness(t, [tmpl({ EmbeddedTmpl: 'OVER=[{{ env "OVER" }}]\n', Envvars: true })], { env: { OVER: 'task' } });
  const hook = createTemplatesHook();
  await hook.prestart?.(h.ctx, {});
  await hook.prestart?.(h.ctx, {});
  assert.equal(h.ctx.envBuilder.build().env['OVER'], '[task]');
});

test('a missing service blocks the first render with a Missing event until the cluster has it', async (t) => {
  const h = harness(t, [tmpl({ EmbeddedTmpl: '{{ range nomadService "redis-svc" }}{{ .Address }}:{{ .Port }}{{ end }}' })]);
  const cluster = new FakeClusterData();
  const hook = createTemplatesHook({ dataSource: () => cluster, retryMs: 20, missingEventIntervalMs: 0 });
  const done = hook.prestart?.(h.ctx, {});
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(fs.existsSync(path.join(h.taskDir, 'local/out.txt')), false);
  const missing = h.events.filter((e) => e.Type === TaskEventType.Template);
  assert.ok(missing.length >= 1);
  assert.equal(missing[0]?.DisplayMessage, 'Missing: nomad.service(redis-svc)');
  cluster.set(serviceDep('redis-svc'), [registration('redis-svc', '10.0.0.9', 6379)]);
  await done;
  assert.ok(cluster.fetches.length >= 2);
  assert.equal(fs.readFileSync(path.join(h.taskDir, 'local/out.txt'), 'utf8'), '10.0.0.9:6379');
  await hook.stop?.(h.ctx);
});

test('missing events are rate limited and name at most three dependencies', async (t) => {
  assert.equal(missingMessage(['nomad.service(d)', 'nomad.service(a)', 'nomad.service(c)', 'nomad.service(b)', 'nomad.service(e)']), 'Missing: nomad.service(a), nomad.service(b), nomad.service(c), and 2 more');
  const h = harness(t, [tmpl({ EmbeddedTmpl: '{{ range nomadService "x" }}{{ end }}' })]);
  const hook = createTemplatesHook({ dataSource: () => new FakeClusterData(), retryMs: 10, missingEventIntervalMs: 60_000 });
  const done = hook.prestart?.(h.ctx, {});
  await new Promise((r) => setTimeout(r, 100));
  h.abort.abort();
  await done; // the kill ends the wait
  assert.equal(h.events.filter((e) => e.Type === TaskEventType.Template).length, 1);
  assert.equal(fs.existsSync(path.join(h.taskDir, 'local/out.txt')), false);
});

test('a destination outside the task dir is refused with a Setup Failure, symlinks included', async (t) => {
  const h = harness(t, [tmpl({ EmbeddedTmpl: 'x', DestPath: '../../escape.txt' })]);
  await assert.rejects(createTemplatesHook().prestart?.(h.ctx, {}) ?? Promise.resolve(), UnrecoverableHookError);
  assert.equal(h.events[0]?.Type, TaskEventType.SetupFailure);
  assert.match(h.events[0]?.DisplayMessage ?? '', /template destination "..\/..\/escape.txt" escapes the task directory/);

  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-outside-'));
  t.after(() => fs.rmSync(outside, { recursive: true, force: true }));
  const h2 = harness(t, [tmpl({ EmbeddedTmpl: 'x', DestPath: 'local/link/out.txt' })]);
  fs.symlinkSync(outside, path.join(h2.taskDir, 'local/link'));
  await assert.rejects(createTemplatesHook().prestart?.(h2.ctx, {}) ?? Promise.resolve(), /escapes the task directory/);
  assert.deepEqual(fs.readdirSync(outside), []);

  const h3 = harness(t, [tmpl({ SourcePath: '/etc/passwd' })]);
  await assert.rejects(createTemplatesHook().prestart?.(h3.ctx, {}) ?? Promise.resolve(), /template source "\/etc\/passwd" escapes the task directory/);
});

test('a template read from source inside the task dir renders, and `file` is confined', async (t) => {
  const h = harness(t, [tmpl({ SourcePath: 'local/in.tpl', DestPath: 'local/out.txt' })]);
  fs.writeFileSync(path.join(h.taskDir, 'local/in.tpl'), '[{{ file "local/data.txt" }}]');
  fs.writeFileSync(path.join(h.taskDir, 'local/data.txt'), 'D');
  await createTemplatesHook().prestart?.(h.ctx, {});
  assert.equal(fs.readFileSync(path.join(h.taskDir, 'local/out.txt'), 'utf8'), '[D]');

  const h2 = harness(t, [tmpl({ EmbeddedTmpl: '{{ file "/etc/hostname" }}' })]);
  await assert.rejects(createTemplatesHook().prestart?.(h2.ctx, {}) ?? Promise.resolve(), /Template failed: .*escapes the task directory/);
});

test('a render error fails the start for good with "Template failed: …"', async (t) => {
  const cases: [Template, RegExp][] = [
    [tmpl({ EmbeddedTmpl: '{{ if }}' }), /^Template failed: \(dynamic\): parse: template: :1: missing value for if/],
    [tmpl({ EmbeddedTmpl: '{{ .nope.deeper }}', ErrMissingKey: true }), /^Template failed: \(dynamic\): execute: /],
    [tmpl({ EmbeddedTmpl: '{{ writeToFile "/tmp/x" "" "" "0644" }}' }), /^Template failed: .*writeToFile/],
    [tmpl({ EmbeddedTmpl: 'BAD LINE\n', Envvars: true }), /^Template failed: error parsing env template "local\/out.txt": error on line 1: missing =/],
  ];
  for (const [spec, re] of cases) {
    const h = harness(t, [spec]);
    await assert.rejects(createTemplatesHook().prestart?.(h.ctx, {}) ?? Promise.resolve(), UnrecoverableHookError);
    const ev = h.events.at(-1);
    assert.equal(ev?.Type, TaskEventType.Killing);
    assert.equal(ev?.FailsTask, true);
    assert.match(ev?.DisplayMessage ?? '', re);
  }
});

test('env files parse as go-envparse does', () => {
  assert.deepEqual(parseEnvFile('\n# c\nA=1\nexport B = two words  # trailing\nC=\'lit\\n\'"q\\n\\u00e9\\ud83d\\udd25"\nD=\nexport=x\n'), { A: '1', B: 'two words', C: 'lit\\nq\né🔥', D: '', export: 'x' });
  assert.throws(() => parseEnvFile('A="x'), /error on line 1: unmatched "/);
  assert.throws(() => parseEnvFile('OK=1\n1A=2'), /error on line 2: key must start with \[A-Za-z_\] but found '1'/);
  assert.throws(() => parseEnvFile('A-B=2'), /key characters must be \[A-Za-z0-9_\] but found '-'/);
});

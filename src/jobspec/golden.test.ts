// The jobspec corpus: every file in test/fixtures/jobspec parses, canonicalizes to exactly its
// *.golden.json ({"Job": …} as `GET /v1/job/:id` would return it), validates cleanly, and
// canonicalization is idempotent, also through a JSON round trip. UPDATE_GOLDEN=1 rewrites goldens.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { canonicalizeJob, formatDiagnostics, jobWarnings, parseJobFile, validateJob, type ApiJob } from './index.js';

const dir = path.resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'jobspec');
const files = fs.readdirSync(dir).filter((f) => /\.nomad\.(hcl|json)$/.test(f)).sort();
const now = (): Date => new Date('2024-01-02T03:04:05Z');

function load(file: string): { job: ReturnType<typeof canonicalizeJob>; api: ApiJob } {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const r = parseJobFile(text, file, { allowFS: true, baseDir: dir, now, env: {} });
  assert.ok(r.job, `${file} failed to parse:\n${formatDiagnostics(r.diagnostics, { [file]: text })}`);
  return { job: canonicalizeJob(r.job), api: r.job };
}

test('the corpus has the four demo jobs and one fixture per job type', () => {
  for (const f of ['pytechco-redis', 'pytechco-web', 'pytechco-setup', 'pytechco-employee']) assert.ok(files.includes(`${f}.nomad.hcl`), f);
  const types = new Set(files.map((f) => load(f).job.Type));
  assert.deepEqual([...types].sort(), ['batch', 'service', 'sysbatch', 'system']);
});

for (const file of files) {
  test(`golden: ${file}`, () => {
    const { job } = load(file);
    const golden = path.join(dir, file.replace(/\.nomad\.(hcl|json)$/, '.golden.json'));
    const actual = `${JSON.stringify({ Job: job }, null, 4)}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1' || !fs.existsSync(golden)) fs.writeFileSync(golden, actual);
    assert.equal(actual, fs.readFileSync(golden, 'utf8'));
    assert.deepEqual(validateJob(job), []);
  });

  test(`idempotent: ${file}`, () => {
    const { job } = load(file);
    assert.deepEqual(canonicalizeJob(job), job);
    const roundTrip = JSON.parse(JSON.stringify(job)) as ApiJob;
    assert.deepEqual(canonicalizeJob(roundTrip), job);
  });
}

test('the employee job warns that cron is deprecated; the others do not warn', () => {
  assert.deepEqual(jobWarnings(load('pytechco-employee.nomad.hcl').job), ['cron is deprecated and may be removed in a future release. Use crons instead']);
  assert.deepEqual(jobWarnings(load('pytechco-web.nomad.hcl').job), []);
});

test('demo jobs: the details the quick-start relies on', () => {
  const redis = load('pytechco-redis.nomad.hcl').job;
  const rg = redis.TaskGroups[0];
  assert.deepEqual(rg?.Networks?.[0]?.DynamicPorts, [{ Label: 'redis', Value: 0, To: 6379, HostNetwork: 'default', IgnoreCollision: false }]);
  assert.equal(rg?.Services?.[0]?.Provider, 'nomad');
  assert.deepEqual(redis.Datacenters, ['*']);
  const web = load('pytechco-web.nomad.hcl').job;
  assert.equal(web.TaskGroups[0]?.Networks?.[0]?.ReservedPorts?.[0]?.Value, 5000);
  const tmpl = web.TaskGroups[0]?.Tasks[0]?.Templates?.[0];
  assert.equal(tmpl?.DestPath, 'local/env.txt');
  assert.equal(tmpl?.Envvars, true);
  assert.equal(tmpl?.ChangeMode, 'restart');
  assert.equal(tmpl?.Splay, 5_000_000_000);
  const setup = load('pytechco-setup.nomad.hcl').job;
  assert.deepEqual(setup.ParameterizedJob, { Payload: 'optional', MetaRequired: ['budget'], MetaOptional: null });
  assert.match(setup.TaskGroups[0]?.Tasks[0]?.Templates?.[0]?.EmbeddedTmpl ?? '', /PTC_BUDGET=\{\{ env "NOMAD_META_budget" \}\}/);
  const emp = load('pytechco-employee.nomad.hcl').job;
  assert.equal(emp.Periodic?.Spec, '0/3 * * * * * *');
  assert.equal(emp.Periodic?.ProhibitOverlap, false);
  const task = emp.TaskGroups[0]?.Tasks[0];
  assert.deepEqual(task?.RestartPolicy, { Attempts: 2, Interval: 10_000_000_000, Delay: 15_000_000_000, Mode: 'fail', RenderTemplates: false });
  assert.equal(task?.Config?.['args'], undefined, 'args is commented out');
  assert.deepEqual(emp.TaskGroups[0]?.RestartPolicy, { Attempts: 3, Interval: 86_400_000_000_000, Delay: 15_000_000_000, Mode: 'fail', RenderTemplates: false });
});

// The jobspec commands through the real `roam` binary (run `npm run build` first): job validate
// (success, positioned errors, stdin, -var), job run -output, and job init (long, short, refusing
// to overwrite). None of them needs an agent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, roam } from '../helpers/roam.js';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'jobspec');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-jobspec-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('job validate: the demo jobs are valid; the periodic one warns about cron', () => {
  for (const f of ['pytechco-redis', 'pytechco-web', 'pytechco-setup']) {
    const r = roam(['job', 'validate', path.join(fixtures, `${f}.nomad.hcl`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Job validation successful\n');
  }
  const r = roam(['job', 'validate', path.join(fixtures, 'pytechco-employee.nomad.hcl')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Job Warnings:\n1 warning:\n\n* cron is deprecated and may be removed in a future release. Use crons instead\n\nJob validation successful\n');
});

test('job validate: a typo is reported with position, source line and caret (exit 1)', () => {
  const file = path.join(tmp, 'typo.nomad.hcl');
  fs.writeFileSync(file, 'job "x" {\n  group "g" {\n    network {\n      port "web" {\n        statik = 5000\n      }\n    }\n    task "t" {\n      driver = "docker"\n    }\n  }\n}\n');
  const r = roam(['job', 'validate', 'typo.nomad.hcl'], { cwd: tmp });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'Error getting job struct: Error parsing job file from typo.nomad.hcl:\ntypo.nomad.hcl:5:9: Unsupported argument; an argument named "statik" is not expected here. Did you mean "static"?\n  5 |         statik = 5000\n    |         ^^^^^^\n',
  );
});

test('job validate: validation errors from stdin, all at once (exit 1)', () => {
  const r = roam(['job', 'validate', '-'], { input: 'job "x" {\n  type = "service"\n  periodic {\n    crons = ["* * * * *"]\n  }\n  group "g" {\n    task "t" {}\n  }\n}\n' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Job validation errors:\n2 errors occurred:\n/);
  assert.match(r.stderr, /\t\* <stdin>:7:5: group "g" → task "t": Missing task driver\n/);
  assert.match(r.stderr, /\t\* <stdin>:3:3: periodic: Periodic can only be used with "batch" or "sysbatch" scheduler\n/);
});

test('job validate: -var values and undeclared -var', () => {
  const file = path.join(tmp, 'vars.nomad.hcl');
  fs.writeFileSync(file, 'variable "n" {\n  type = number\n}\njob "x" {\n  group "g" {\n    count = var.n\n    task "t" {\n      driver = "docker"\n    }\n  }\n}\n');
  assert.equal(roam(['job', 'validate', '-var', 'n=2', file]).code, 0);
  const bad = roam(['job', 'validate', '-var', 'n=2', '-var', 'm=3', file]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Undefined -var variable; a "m" variable was passed in the command line/);
  assert.equal(roam(['job', 'validate', '-hcl2-strict=false', '-var', 'n=2', '-var', 'm=3', file]).code, 0);
});

test('job run -output prints {"Job": …} with four-space indentation, no agent needed', () => {
  const r = roam(['job', 'run', '-output', path.join(fixtures, 'pytechco-setup.nomad.hcl')], { env: { NOMAD_ADDR: 'http://127.0.0.1:1', ROAM_ADDR: 'http://127.0.0.1:1' } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('{\n    "Job": {\n        "ID": "pytechco-setup",'), r.stdout.slice(0, 200));
  const parsed = JSON.parse(r.stdout) as { Job: { ParameterizedJob: { MetaRequired: string[] }; Type: string } };
  assert.equal(parsed.Job.Type, 'batch');
  assert.deepEqual(parsed.Job.ParameterizedJob.MetaRequired, ['budget']);
});

test('job init writes the example, -short the minimal one, and never overwrites', () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'init-'));
  const r = roam(['job', 'init'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Example job file written to example.nomad.hcl\n');
  const long = fs.readFileSync(path.join(dir, 'example.nomad.hcl'), 'utf8');
  assert.match(long, /job "example" \{/);
  assert.match(long, /group "cache" \{/);
  assert.match(long, /task "redis" \{/);
  assert.match(long, /image\s+= "redis:7"/);
  assert.match(long, /port "db" \{\n\s+to = 6379/);
  assert.match(long, /name\s+= "redis-cache"/);
  assert.match(long, /provider = "nomad"/);
  assert.match(long, /cpu\s+= 500\n\s+memory = 256/);
  assert.match(long, /^# /m, 'the long form explains itself');
  assert.equal(roam(['job', 'validate', 'example.nomad.hcl'], { cwd: dir }).code, 0);

  const again = roam(['job', 'init'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.equal(again.stderr, "Job 'example.nomad.hcl' already exists\n");
  assert.equal(fs.readFileSync(path.join(dir, 'example.nomad.hcl'), 'utf8'), long);

  const short = roam(['job', 'init', '-short', 'short.nomad.hcl'], { cwd: dir });
  assert.equal(short.code, 0, short.stderr);
  const text = fs.readFileSync(path.join(dir, 'short.nomad.hcl'), 'utf8');
  assert.doesNotMatch(text, /#/);
  assert.equal(roam(['job', 'validate', 'short.nomad.hcl'], { cwd: dir }).code, 0);
});

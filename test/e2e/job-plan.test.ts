// `roam job plan` end to end: a dev agent, one simulated node, job files on disk and the real
// binary — Nomad's layout (diff markers, dry-run outcome, Job Modify Index), its exit codes
// (0 nothing created or destroyed, 1 changes, 255 errors), and the printed index working with
// `job run -check-index` while a stale one is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RoamApi } from '../../src/api/index.js';
import { mockNode } from '../../src/structs/mock.js';
import { roam, startAgent, type CliResult, type RunningAgent } from '../helpers/roam.js';

let agent: RunningAgent;
let api: RoamApi;
let dir = '';
let heartbeat: NodeJS.Timeout | undefined;

const cli = (...args: string[]): CliResult => roam(args, { env: { NOMAD_ADDR: agent.address } });

function jobFile(name: string, count: number, runFor = '10s', extra = '', id = 'plan-e2e'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `job "${id}" {
  datacenters = ["*"]
  group "cache" {
    count = ${count}
    task "redis" {
      driver = "mock_driver"
      config {
        run_for = "${runFor}"
      }
      resources {
        cpu    = 100
        memory = 64
      }
    }
${extra}
  }
}
`,
  );
  return file;
}

const modifyIndex = (out: string): number => Number(/Job Modify Index: (\d+)/.exec(out)?.[1] ?? NaN);

before(async () => {
  agent = await startAgent(['-dev'], { server: { min_heartbeat_ttl: '5m' } });
  api = new RoamApi({ address: agent.address });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-plan-e2e-'));
  const node = mockNode({ ID: 'cd560000-0000-4000-8000-000000000001', Name: 'plan-node', Datacenter: 'dc1' });
  const client = new RoamApi({ address: agent.address, token: node.SecretID });
  await client.internal.registerNode(node);
  await client.internal.updateStatus(node.ID, 'ready');
  heartbeat = setInterval(() => void client.internal.updateStatus(node.ID, 'ready').catch(() => undefined), 3000);
});

after(async () => {
  if (heartbeat) clearInterval(heartbeat);
  await agent?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('planning a new job prints an Added diff, a clean dry run and index 0, exit 1', () => {
  const file = jobFile('new.nomad.hcl', 1);
  const r = cli('job', 'plan', file);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^\+ Job: "plan-e2e"$/m);
  assert.match(r.stdout, /^\+ Task Group: "cache" \(1 create\)$/m);
  assert.match(r.stdout, /^ {2}\+ Task: "redis" \(forces create\)$/m);
  assert.match(r.stdout, /Scheduler dry-run:\n- All tasks successfully allocated\./);
  assert.equal(modifyIndex(r.stdout), 0);
  assert.match(r.stdout, new RegExp(`roam job run -check-index 0 ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colors when not a TTY');
});

test('the printed index registers with -check-index; a stale one is refused; an unchanged plan exits 0', async () => {
  const file = jobFile('v1.nomad.hcl', 1);
  assert.equal(cli('job', 'run', '-detach', '-check-index', '0', file).code, 0);
  const job = (await api.jobs.info('plan-e2e')).data;
  const same = cli('job', 'plan', file);
  assert.equal(same.code, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /^Job: "plan-e2e"$/m);
  assert.equal(modifyIndex(same.stdout), job.JobModifyIndex);

  const scaled = jobFile('v2.nomad.hcl', 2);
  const plan = cli('job', 'plan', scaled);
  assert.equal(plan.code, 1);
  assert.match(plan.stdout, /^\+\/- Job: "plan-e2e"$/m);
  assert.match(plan.stdout, /^\+\/- Task Group: "cache" \(1 create, 1 in-place update\)$/m);
  assert.match(plan.stdout, /^ {2}\+\/- Count: "1" => "2" \(forces create\)$/m);
  const index = modifyIndex(plan.stdout);
  assert.equal(index, job.JobModifyIndex);

  const stale = cli('job', 'run', '-detach', '-check-index', String(index - 1), scaled);
  assert.notEqual(stale.code, 0);
  assert.match(stale.stderr, /modify index/);
  const ok = cli('job', 'run', '-detach', '-check-index', String(index), scaled);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((await api.jobs.info('plan-e2e')).data.TaskGroups[0]?.Count, 2);
  const again = cli('job', 'run', '-detach', '-check-index', String(index), scaled);
  assert.notEqual(again.code, 0, 'the index the plan printed is stale once the job changed');
});

test('a config change shows the edited Config object and the destructive update', () => {
  const r = cli('job', 'plan', jobFile('v3.nomad.hcl', 2, '20s'));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^ {2}\+\/- Task: "redis" \(forces create\/destroy update\)$/m);
  assert.match(r.stdout, /^ {4}\+\/- Config \{\n {6}\+\/- run_for: "10s" => "20s"\n {8}\}$/m);
  assert.match(r.stdout, /create\/destroy update/);
});

test('placement failures are explained and the exit code says allocations would change', () => {
  const r = cli('job', 'plan', jobFile('infeasible.nomad.hcl', 3, '10s', '    constraint {\n      attribute = "${attr.kernel.name}"\n      value     = "plan9"\n    }', 'plan-infeasible'));
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /Constraint \{/, 'an added group is not expanded without -verbose');
  const verbose = cli('job', 'plan', '-verbose', path.join(dir, 'infeasible.nomad.hcl'));
  assert.match(verbose.stdout, /^ {2}\+ Constraint \{\n {4}\+ LTarget: "\$\{attr\.kernel\.name\}"$/m);
  assert.match(verbose.stdout, /^ {2}\+ Count: +"3" \(forces create\)$/m);
  assert.match(r.stdout, /- WARNING: Failed to place all allocations\./);
  assert.match(r.stdout, /Task Group "cache" \(failed to place \d+ allocations?\):/);
  assert.match(r.stdout, /\* Constraint "\$\{attr\.kernel\.name\} = plan9": \d+ nodes excluded by filter/);
});

test('errors exit 255: a bad flag, a missing file, a parse error, no agent', () => {
  assert.equal(cli('job', 'plan', '-no-such-flag', 'x.hcl').code, 255);
  assert.equal(cli('job', 'plan').code, 255);
  const missing = cli('job', 'plan', path.join(dir, 'missing.hcl'));
  assert.equal(missing.code, 255);
  assert.match(missing.stderr, /Error getting job struct/);
  const bad = path.join(dir, 'bad.nomad.hcl');
  fs.writeFileSync(bad, 'job "x" {\n  group = \n}\n');
  assert.equal(cli('job', 'plan', bad).code, 255);
  assert.equal(roam(['job', 'plan', jobFile('v9.nomad.hcl', 1)], { env: { NOMAD_ADDR: 'http://127.0.0.1:1' } }).code, 255);
});

test('-json-output prints the plan response and keeps the exit code', () => {
  const r = cli('job', 'plan', '-json-output', jobFile('v4.nomad.hcl', 2));
  assert.equal(r.code, 0);
  const resp = JSON.parse(r.stdout) as { Diff: { Type: string }; Annotations: { DesiredTGUpdates: Record<string, { Ignore: number }> } };
  assert.equal(resp.Diff.Type, 'None');
  assert.equal(resp.Annotations.DesiredTGUpdates['cache']?.Ignore, 2);
});

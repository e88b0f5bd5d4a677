// `roam var put|get|list|purge` against a dev agent, and a raw_exec job whose `env = true`
// template reads a variable with nomadVar and hands it to the task's environment.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RoamApi } from '../../src/api/index.js';
import type { Allocation } from '../../src/structs/alloc.js';
import { roam, startAgent, type CliResult, type RunningAgent } from '../helpers/roam.js';
import { waitFor, waitForReadyNode } from '../helpers/wait.js';


describe('roam var on a dev agent', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let work: string;
  const cli = (args: string[], input?: string): CliResult => roam(args, { env: { ROAM_ADDR: agent.address }, ...(input !== undefined ? { input } : {}) });

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-var-'));
    agent = await startAgent(['-dev']);
    api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
  });

  after(async () => {
    await agent.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('put, get, list and purge', () => {
    let r = cli(['var', 'put', '-out', 'none', 'app/config', 'user=admin', 'password=hunter2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created variable "app\/config" with modify index \d+\n$/);

    // Without -force or -check-index, put only creates.
    r = cli(['var', 'put', 'app/config', 'user=other']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Check-and-Set conflict/);
    assert.match(r.stderr, /Your provided check-index \(0\) does not match the/);

    r = cli(['var', 'get', '-item', 'password', 'app/config']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hunter2');

    r = cli(['var', 'get', '-out', 'table', 'app/config']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Namespace\s+= default\nPath\s+= app\/config\nCreate Time\s+= \S+\nCheck Index\s+= \d+\n\nItems\npassword = hunter2\nuser\s+= admin\n$/);

    r = cli(['var', 'get', '-out', 'json', 'app/config']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as { Path: string; ModifyIndex: number; Items: Record<string, string> };
    assert.deepEqual(v.Items, { user: 'admin', password: 'hunter2' });

    // -force replaces the items; a spec from stdin works too; redirected output defaults to JSON.
    r = cli(['var', 'put', '-force', 'app/config', 'user=root']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { Items: Record<string, string> }).Items, { user: 'root' });
    r = cli(['var', 'put', '-out', 'none', 'app/other', '-'], JSON.stringify({ Items: { k: 'v' } }));
    assert.equal(r.code, 0, r.stderr);

    r = cli(['var', 'list', 'app/']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^Namespace\s+Path\s+Last Updated$/);
    assert.match(lines[1] ?? '', /^default\s+app\/config\s+\S+/);
    assert.match(lines[2] ?? '', /^default\s+app\/other\s+\S+/);
    r = cli(['var', 'list', '-out', 'json', 'app/']);
    assert.deepEqual((JSON.parse(r.stdout) as { Path: string }[]).map((x) => x.Path), ['app/config', 'app/other']);

    r = cli(['var', 'purge', '-check-index', '1', 'app/other']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Check-and-Set conflict/);
    r = cli(['var', 'purge', 'app/other']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Successfully purged variable "app/other"!\n');
    r = cli(['var', 'get', 'app/other']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Variable not found/);
    r = cli(['var', 'list', 'nothing/']);
    assert.equal(r.stdout, 'No matching variables found\n');
  });

  test('a template reads a variable with nomadVar into the task environment', async () => {
    let r = cli(['var', 'put', '-out', 'none', 'nomad/jobs/app', 'password=swordfish']);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(work, 'app.nomad.hcl');
    fs.writeFileSync(
      file,
      `job "app" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $PASS"]
      }
      template {
        data        = <<EOT
{{ with nomadVar "nomad/jobs/app" }}PASS={{ .password }}{{ end }}
EOT
        destination = "local/env.txt"
        env         = true
      }
    }
  }
}`,
    );
    r = cli(['job', 'run', '-detach', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const a = await waitFor('app alloc', async (): Promise<Allocation | undefined> => {
      const stubs = (await api.jobs.allocations('app', true)).data;
      if (stubs.length !== 1 || !stubs[0]) return undefined;
      const x = (await api.allocations.info(stubs[0].ID)).data;
      return x.ClientStatus === 'complete' || x.ClientStatus === 'failed' ? x : undefined;
    });
    assert.equal(a.ClientStatus, 'complete', JSON.stringify(a.TaskStates));
    const cat = async (p: string): Promise<string> => {
      const res = await fetch(`${agent.address}/v1/client/fs/cat/${a.ID}?path=${encodeURIComponent(p)}`);
      assert.equal(res.status, 200, p);
      return res.text();
    };
    const log = await waitFor('log flushed', async () => {
      const t = await cat('alloc/logs/t.stdout.0');
      return t.includes('swordfish') ? t : undefined;
    });
    assert.equal(log, 'swordfish\n');
    assert.equal(await cat('t/local/env.txt'), 'PASS=swordfish\n');
  });
});

describe('roam job init from job templates in variables', () => {
  test('-list-templates lists nomad/job-templates/* and -template writes one', async () => {
    const agent = await startAgent(['-dev']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-init-'));
    try {
      const run = (args: string[]): CliResult => roam(args, { env: { ROAM_ADDR: agent.address }, cwd: dir });
      const none = run(['job', 'init', '-list-templates']);
      assert.equal(none.code, 0, none.stderr);
      assert.equal(none.stdout, 'No variables in nomad/job-templates\n');
      const api = new RoamApi({ address: agent.address });
      await api.variables.put('nomad/job-templates/hello', { template: 'job "hello" {}\n' });
      const list = run(['job', 'init', '-list-templates']);
      assert.equal(list.stdout, 'Use roam job init -template=<template> with any of the following:\n  hello\n');
      const init = run(['job', 'init', '-template', 'hello']);
      assert.equal(init.code, 0, init.stderr);
      assert.equal(init.stdout, "Job 'hello' written to hello.nomad.hcl\n");
      assert.equal(fs.readFileSync(path.join(dir, 'hello.nomad.hcl'), 'utf8'), 'job "hello" {}\n');
      const missing = run(['job', 'init', '-template', 'nope']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Error retrieving template: no variable at nomad\/job-templates\/nope/);
    } finally {
      await agent.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Parameterized and periodic jobs end to end: a dev agent (server + client with raw_exec), jobs
// submitted with `roam job run`, dispatched with `roam job dispatch`, forced with
// `roam job periodic force`; dispatch validation through the HTTP API (every rule names its key and
// registers nothing), idempotency tokens, and the parent's stop taking its children along.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiError, RoamApi } from '../../src/api/index.js';
import { roam, startAgent, type CliResult, type RunningAgent } from '../helpers/roam.js';
import { waitFor, waitForReadyNode } from '../helpers/wait.js';


describe('parameterized and periodic jobs on a dev agent', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let work: string;
  const cli = (args: string[], input?: string): CliResult => roam(args, { env: { ROAM_ADDR: agent.address }, cwd: work, ...(input !== undefined ? { input } : {}) });

  function run(name: string, hcl: string): CliResult {
    const file = path.join(work, `${name}.nomad.hcl`);
    fs.writeFileSync(file, hcl);
    const r = cli(['job', 'run', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    return r;
  }

  async function rejected(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof ApiError, String(err));
      assert.equal(err.status, 400);
      return err.message;
    }
    throw new Error('expected the dispatch to be rejected');
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-dispatch-'));
    fs.chmodSync(work, 0o777);
    agent = await startAgent(['-dev']);
    api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
    run(
      'setup',
      `job "setup" {
  type = "batch"
  parameterized {
    meta_required = ["budget"]
    meta_optional = ["note"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo \${NOMAD_META_budget} > ${work}/budget-\${NOMAD_SHORT_ALLOC_ID}"]
      }
    }
  }
}`,
    );
  });

  after(async () => {
    await agent.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('job dispatch -meta budget=200 runs a task that sees NOMAD_META_budget=200', async () => {
    const r = cli(['job', 'dispatch', '-meta', 'budget=200', 'setup']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const m = /^Dispatched Job ID = (setup\/dispatch-\d+-[0-9a-f]{8})\nEvaluation ID     = ([0-9a-f]{8})\n\n==> /.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.match(r.stdout, /Evaluation ".{8}" finished with status "complete"/);
    const child = (await api.jobs.info(m[1] ?? '')).data;
    assert.equal(child.ParentID, 'setup');
    assert.equal(child.Dispatched, true);
    assert.equal(child.Meta?.['budget'], '200');
    const file = await waitFor('the task output', async () => fs.readdirSync(work).find((f) => f.startsWith('budget-')));
    assert.equal(fs.readFileSync(path.join(work, file), 'utf8').trim(), '200');
    const listed = (await api.jobs.list()).data.find((j) => j.ID === child.ID);
    assert.equal(listed?.ParentID, 'setup');
  });

  test('bad dispatches are rejected with the key named and register nothing', async () => {
    const before = (await api.jobs.list()).data.length;
    assert.match(await rejected(api.jobs.dispatch('setup', {}, undefined)), /Dispatch did not provide required meta keys: \[budget\]/);
    assert.match(await rejected(api.jobs.dispatch('setup', { budget: '1', color: 'red' }, undefined)), /Dispatch request included unpermitted metadata keys: \[color\]/);
    assert.match(await rejected(api.jobs.dispatch('setup', { budget: '1' }, Buffer.alloc(16 * 1024 + 1, 1))), /Payload exceeds maximum size; 16385 > 16384/);
    run('plain', 'job "plain" {\n  type = "batch"\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config { command = "/bin/true" }\n    }\n  }\n}\n');
    assert.match(await rejected(api.jobs.dispatch('plain', {}, undefined)), /Specified job "plain" is not a parameterized job/);
    run('needs-input', `job "needs-input" {\n  type = "batch"\n  parameterized { payload = "required" }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config { command = "/bin/true" }\n    }\n  }\n}\n`);
    assert.match(await rejected(api.jobs.dispatch('needs-input', {}, undefined)), /Payload is not provided but required by parameterized job/);
    run('no-input', `job "no-input" {\n  type = "batch"\n  parameterized { payload = "forbidden" }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config { command = "/bin/true" }\n    }\n  }\n}\n`);
    assert.match(await rejected(api.jobs.dispatch('no-input', {}, Buffer.from('x'))), /Payload provided but forbidden by parameterized job/);
    const after = (await api.jobs.list()).data;
    assert.equal(after.filter((j) => j.ParentID !== '').length, (await api.jobs.list()).data.filter((j) => j.ParentID !== '').length);
    assert.equal(after.length, before + 3, 'only the three parents were added');
    // The CLI reports the server's message and exits 1.
    const r = cli(['job', 'dispatch', 'setup']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Failed to dispatch job: .*Dispatch did not provide required meta keys: \[budget\]/);
  });

  test('a payload from stdin is stored with the child; an idempotency token returns the same child', async () => {
    const r = cli(['job', 'dispatch', '-detach', '-meta', 'budget=5', '-idempotency-token', 'tok-1', '-id-prefix-template', 'nightly', 'setup', '-'], 'hello payload');
    assert.equal(r.code, 0, r.stderr);
    const id = /^Dispatched Job ID = (\S+)$/m.exec(r.stdout)?.[1] ?? '';
    assert.match(id, /^setup\/dispatch-nightly-\d+-[0-9a-f]{8}$/);
    assert.doesNotMatch(r.stdout, /==> /, '-detach does not monitor');
    const child = (await api.jobs.info(id)).data;
    assert.equal(Buffer.from(child.Payload ?? '', 'base64').toString(), 'hello payload');
    assert.equal(child.DispatchIdempotencyToken, 'tok-1');
    const again = (await api.jobs.dispatch('setup', { budget: '5' }, Buffer.from('hello payload'), { idempotencyToken: 'tok-1' })).data;
    assert.equal(again.DispatchedJobID, id);
    assert.equal(again.EvalID, '');
  });

  test('a periodic job: run prints the next launch, status shows it, force launches a child now', async () => {
    const r = run(
      'nightly',
      `job "nightly" {
  type = "batch"
  periodic {
    crons            = ["0 3 * * *"]
    prohibit_overlap = true
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/true" }
    }
  }
}`,
    );
    assert.match(r.stdout, /^Job registration successful\nApproximate next launch time: \d{4}-\d\d-\d\dT03:00:00Z \((\d+h)?(\d+m)?\d+s from now\)\n$/);
    const status = cli(['job', 'status', 'nightly']);
    assert.match(status.stdout, /^Next Periodic Launch = \d{4}-\d\d-\d\dT03:00:00Z \(.* from now\)$/m);
    assert.match(status.stdout, /No instances of periodic job found/);
    const f = cli(['job', 'periodic', 'force', 'nightly']);
    assert.equal(f.code, 0, f.stderr + f.stdout);
    assert.match(f.stdout, /Evaluation triggered by job "nightly\/periodic-\d+"/);
    const kids = (await api.jobs.list({ prefix: 'nightly/periodic-' })).data;
    assert.equal(kids.length, 1);
    assert.equal(kids[0]?.ParentID, 'nightly');
    const detached = cli(['job', 'periodic', 'force', '-detach', 'plain']);
    assert.equal(detached.code, 1);
    assert.match(detached.stderr, /can't force launch non-periodic job/);
  });

  test('a periodic raw_exec job every second launches at least 4 children in 5 s, each with its own alloc ID', async () => {
    run(
      'employee',
      `job "employee" {
  type = "batch"
  periodic {
    crons = ["* * * * * * *"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo \${NOMAD_SHORT_ALLOC_ID} > ${work}/employee-\${NOMAD_SHORT_ALLOC_ID}"]
      }
    }
  }
}`,
    );
    await new Promise((r) => setTimeout(r, 5_000));
    // Stopping the parent stops its schedule and its children.
    const stop = cli(['job', 'stop', '-detach', 'employee']);
    assert.equal(stop.code, 0, stop.stderr);
    const kids = (await api.jobs.list({ prefix: 'employee/periodic-' })).data;
    assert.ok(kids.length >= 4, `launched ${kids.length} children`);
    const seconds = kids.map((k) => Number(k.ID.split('-').at(-1))).sort((a, b) => a - b);
    for (let i = 1; i < seconds.length; i++) assert.equal(seconds[i], (seconds[i - 1] ?? 0) + 1, `one launch per second: ${seconds.join(',')}`);
    const files = await waitFor('task output', async () => {
      const f = fs.readdirSync(work).filter((x) => x.startsWith('employee-'));
      return f.length >= 4 ? f : undefined;
    });
    for (const f of files) assert.equal(fs.readFileSync(path.join(work, f), 'utf8').trim(), f.slice('employee-'.length));
    assert.equal(new Set(files).size, files.length);
    // A stopped parent launches nothing more; its finished children stay listed until GC.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((await api.jobs.list({ prefix: 'employee/periodic-' })).data.length, kids.length);
    assert.ok((await api.jobs.list({ prefix: 'employee/periodic-' })).data.every((k) => k.Status === 'dead' || k.Stop));
  });
});

describe('dispatch_payload', () => {
  test('a dispatched payload is written to the task\'s local/ file the job names', async () => {
    const agent = await startAgent(['-dev']);
    try {
      const api = new RoamApi({ address: agent.address });
      const hcl = `job "reader" {\n  type = "batch"\n  parameterized { payload = "required" }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      dispatch_payload { file = "in/payload.txt" }\n      config {\n        command = "/bin/sh"\n        args    = ["-c", "cat $NOMAD_TASK_DIR/in/payload.txt"]\n      }\n    }\n  }\n}\n`;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-payload-'));
      fs.writeFileSync(path.join(dir, 'reader.nomad.hcl'), hcl);
      const reg = roam(['job', 'run', path.join(dir, 'reader.nomad.hcl')], { env: { ROAM_ADDR: agent.address } });
      assert.equal(reg.code, 0, reg.stderr);
      const child = (await api.jobs.dispatch('reader', {}, Buffer.from('the payload\n'))).data.DispatchedJobID;
      const alloc = await waitFor('the child to complete', async () => {
        const a = (await api.jobs.allocations(child)).data[0];
        return a?.ClientStatus === 'complete' ? a : undefined;
      });
      const out = await fetch(`${agent.address}/v1/client/fs/cat/${alloc.ID}?path=alloc/logs/t.stdout.0`);
      assert.equal(await out.text(), 'the payload\n');
      fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      await agent.stop();
    }
  });
});

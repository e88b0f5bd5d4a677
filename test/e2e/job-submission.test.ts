// `roam job run` sends the job file as the registration's Submission, and a SQLite-backed server
// keeps it per version across a restart: GET /v1/job/:id/submission?version=N serves it, with
// the -var flags and var-file contents it was run with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError, RoamApi } from '../../src/api/index.js';
import { roam, startAgent } from '../helpers/roam.js';

const JOB = `variable "greeting" {
  type    = string
  default = "hello"
}

job "greeter" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/echo"
        args    = [var.greeting]
      }
    }
  }
}
`;

test('job run stores the submitted HCL per version, and it survives a server restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-submission-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-submission-job-'));
  fs.writeFileSync(path.join(work, 'greeter.nomad.hcl'), JOB);
  fs.writeFileSync(path.join(work, 'vars.hcl'), 'greeting = "from a file"\n');
  const args = ['agent', '-server', '-data-dir', dataDir];
  let agent = await startAgent(args.slice(1), { server: { enabled: true, min_heartbeat_ttl: '5m' } });
  try {
    const env = { NOMAD_ADDR: agent.address };
    const first = roam(['job', 'run', '-detach', '-var', 'greeting=hi there', 'greeter.nomad.hcl'], { cwd: work, env });
    assert.equal(first.code, 0, first.stderr);
    const second = roam(['job', 'run', '-detach', '-var-file', 'vars.hcl', 'greeter.nomad.hcl'], { cwd: work, env });
    assert.equal(second.code, 0, second.stderr);

    const check = async (api: RoamApi): Promise<void> => {
      const v0 = (await api.jobs.submission('greeter', 0)).data;
      assert.deepEqual({ ...v0, JobModifyIndex: 0 }, { Source: JOB, Format: 'hcl2', VariableFlags: { greeting: 'hi there' }, Variables: '', Namespace: 'default', JobID: 'greeter', Version: 0, JobModifyIndex: 0 });
      const v1 = (await api.jobs.submission('greeter', 1)).data;
      assert.equal(v1.VariableFlags, null);
      assert.equal(v1.Variables, 'greeting = "from a file"\n\n');
      assert.equal(v1.JobModifyIndex, (await api.jobs.info('greeter')).data.JobModifyIndex);
      await assert.rejects(api.jobs.submission('greeter', 2), (e: unknown) => e instanceof ApiError && e.status === 404);
    };
    await check(new RoamApi({ address: agent.address }));

    // The same data directory after a restart: the sources were persisted with the jobs.
    await agent.stop();
    agent = await startAgent(args.slice(1), { server: { enabled: true, min_heartbeat_ttl: '5m' } });
    await check(new RoamApi({ address: agent.address }));
  } finally {
    await agent.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});

// One dev agent per test file, the way most end-to-end files use it: started in `before` (on a free
// port, its node ready), stopped in `after` with its scratch directory, and the two things every
// such file needs — the environment that points the CLI at it, and "write this job file and
// `roam job run -detach` it". Call devAgentSession() inside a describe block.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { RoamApi } from '../../src/api/index.js';
import { roam, startAgent, type RunningAgent } from './roam.js';
import { waitForReadyNode } from './wait.js';

export interface DevAgentSession {
  readonly agent: RunningAgent;
  readonly api: RoamApi;
  /** A scratch directory for the file's job files, removed with the agent. */
  readonly work: string;
  /** The environment that points `roam` at the agent. */
  env(): NodeJS.ProcessEnv;
  /** Writes <work>/<name>.nomad.hcl and registers it with `roam job run -detach`; returns the file. */
  runJob(name: string, hcl: string): string;
}

export function devAgentSession(prefix: string): DevAgentSession {
  let agent: RunningAgent | undefined;
  let api: RoamApi | undefined;
  let work = '';
  const must = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`the dev agent's ${what} is used before the before() hook ran`);
    return v;
  };
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    agent = await startAgent(['-dev']);
    api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
  });
  after(async () => {
    await agent?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });
  const session: DevAgentSession = {
    get agent() {
      return must(agent, 'process');
    },
    get api() {
      return must(api, 'API client');
    },
    get work() {
      return work;
    },
    env: () => ({ ROAM_ADDR: must(agent, 'process').address }),
    runJob(name, hcl) {
      const file = path.join(work, `${name}.nomad.hcl`);
      fs.writeFileSync(file, hcl);
      const r = roam(['job', 'run', '-detach', file], { env: session.env() });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      return file;
    },
  };
  return session;
}

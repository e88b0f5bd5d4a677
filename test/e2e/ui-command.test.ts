// `roam ui`: the web UI's URL for the agent, a job, an allocation or a node (resolved by prefix),
// printed with -show-url or when there is no display, and handed to xdg-open when there is one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockJob, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import { addNode, startServer, waitFor, type SimNode, type TestCluster } from '../helpers/cluster.js';
import { roamBin, type CliResult } from '../helpers/roam.js';
import { resolveUiMatch } from '../../src/cli/commands/ui.js';

let c: TestCluster;
let node: SimNode;
let allocId = '';
const env = (): NodeJS.ProcessEnv => ({ NOMAD_ADDR: c.address, DISPLAY: '', WAYLAND_DISPLAY: '' });

before(async () => {
  c = await startServer();
  node = await addNode(c);
  const job = (id: string) => mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: 1, Tasks: [mockTask({ Resources: mockResources({ CPU: 50, MemoryMB: 32 }) })] })] });
  await c.api.jobs.register(job('webapp'));
  await c.api.jobs.register(job('webapp-canary'));
  allocId = await waitFor('an allocation of webapp', async () => (await c.api.jobs.allocations('webapp')).data[0]?.ID);
});
after(async () => {
  node?.stopHeartbeats();
  await c?.close();
});

test('-show-url prints the address, or the page of a job, allocation or node found by prefix', async () => {
  const show = async (...args: string[]): Promise<string> => {
    const r = await roam(['ui', '-show-url', ...args], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  assert.equal(await show(), `URL for web UI: ${c.address}\n`);
  // "webapp" is also a prefix of "webapp-canary": the exact ID wins, as in Nomad.
  assert.equal(await show('webapp'), `URL for web UI: ${c.address}/ui/jobs/webapp\n`);
  assert.equal(await show('-namespace', 'default', 'webapp-c'), `URL for web UI: ${c.address}/ui/jobs/webapp-canary@default?namespace=default\n`);
  assert.equal(await show(allocId.slice(0, 8)), `URL for web UI: ${c.address}/ui/allocations/${allocId}\n`);
  assert.equal(await show(node.node.ID), `URL for web UI: ${c.address}/ui/clients/${node.node.ID}\n`);
});

test('without a display the URL is printed; with one it goes to xdg-open', async () => {
  const noDisplay = await roam(['ui', 'webapp'], { env: env() });
  assert.equal(noDisplay.code, 0, noDisplay.stderr);
  assert.equal(noDisplay.stdout, `URL for web UI: ${c.address}/ui/jobs/webapp\n`);
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-xdg-'));
  try {
    const got = path.join(bin, 'opened');
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > ${got}\n`, { mode: 0o755 });
    const r = await roam(['ui', 'webapp'], { env: { ...env(), DISPLAY: ':99', PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Opening URL "${c.address}/ui/jobs/webapp"\n`);
    const opened = await waitForFile(got);
    assert.equal(opened, `${c.address}/ui/jobs/webapp\n`);
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});

test('unknown and ambiguous identifiers, extra arguments and -authenticate without ACLs are errors', async () => {
  const none = await roam(['ui', 'zzz-nothing'], { env: env() });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /Unable to resolve ID: "zzz-nothing"/);
  const many = await roam(['ui', 'weba'], { env: env() });
  assert.equal(many.code, 1);
  assert.match(many.stderr, /Multiple matches found for id "weba"\n\nJobs:\nwebapp, webapp-canary/);
  const two = await roam(['ui', 'a', 'b'], { env: env() });
  assert.equal(two.code, 1);
  assert.match(two.stderr, /This command takes no or one optional argument, \[<identifier>\]/);
  const auth = await roam(['ui', '-authenticate', '-show-url'], { env: env() });
  assert.equal(auth.code, 1);
  assert.match(auth.stderr, /Could not get one-time token: ACL support disabled/);
});

test('matching follows Nomad: one match per context, or an exact first match', () => {
  assert.deepEqual(resolveUiMatch('ab', { jobs: [], allocs: ['ab12'], nodes: [] }), { context: 'allocs', id: 'ab12' });
  assert.deepEqual(resolveUiMatch('ab', { jobs: ['ab', 'abc'] }), { context: 'jobs', id: 'ab' });
  assert.ok('ambiguous' in (resolveUiMatch('ab', { jobs: ['ab1'], nodes: ['ab2'] }) ?? {}));
  assert.equal(resolveUiMatch('ab', { jobs: [], evals: ['ab3'] }), undefined);
});

/** Runs the CLI without blocking this process, which serves the API it talks to. */
function roam(args: string[], opts: { env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [roamBin, ...args], { env: { ...process.env, NO_COLOR: '1', ...opts.env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** xdg-open runs detached: its output file appears shortly after the command returns. */
function waitForFile(file: string): Promise<string> {
  return waitFor(`${file} to be written`, async () => (fs.existsSync(file) && fs.readFileSync(file, 'utf8').endsWith('\n') ? fs.readFileSync(file, 'utf8') : undefined), 5000);
}

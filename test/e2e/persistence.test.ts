// A server with -data-dir keeps its state in SQLite: after kill -9 and a restart, jobs, job
// versions, evaluations, allocations and nodes are all there, and evaluations that were pending
// when the process died are processed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RoamApi } from '../../src/api/index.js';
import { mockJob, mockNode, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import { freePort } from '../helpers/ports.js';
import { roamBin } from '../helpers/roam.js';
import { waitFor } from '../helpers/cluster.js';

async function startServer(dataDir: string, port: number): Promise<{ pid: number; exited: Promise<number | null>; output: () => string }> {
  const cfg = path.join(dataDir, 'agent.json');
  fs.writeFileSync(cfg, JSON.stringify({ ports: { http: port }, bind_addr: '127.0.0.1', server: { enabled: true, min_heartbeat_ttl: '5m' } }));
  const proc = spawn(process.execPath, [roamBin, 'agent', '-server', '-data-dir', dataDir, '-config', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  await waitFor('the server to answer', async () => {
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    return fetch(`http://127.0.0.1:${port}/v1/agent/health`).then((r) => r.ok, () => false);
  });
  return { pid: proc.pid ?? 0, exited, output: () => out };
}

test('state survives kill -9 of a SQLite-backed server, and pending evaluations are processed after restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-persist-'));
  const port = await freePort();
  const api = new RoamApi({ address: `http://127.0.0.1:${port}` });
  let srv = await startServer(dataDir, port);
  try {
    const node = mockNode();
    const nodeApi = new RoamApi({ address: `http://127.0.0.1:${port}`, token: node.SecretID });
    await nodeApi.internal.registerNode(node);
    await nodeApi.internal.updateStatus(node.ID, 'ready');
    const job = (id: string, count: number) => mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: count, Tasks: [mockTask({ Resources: mockResources({ CPU: 50, MemoryMB: 32 }) })] })] });
    const first = (await api.jobs.register(job('kept', 2))).data;
    await waitFor('allocations for "kept"', async () => ((await api.jobs.allocations('kept')).data.length === 2 ? true : undefined));
    await api.jobs.register(job('kept', 3)); // a second version
    const late = (await api.jobs.register(job('late', 1))).data; // may still be pending when we kill
    process.kill(srv.pid, 'SIGKILL');
    await srv.exited;

    srv = await startServer(dataDir, port);
    const kept = (await api.jobs.info('kept')).data;
    assert.equal(kept.Version, 1);
    assert.deepEqual((await api.jobs.versions('kept')).data.Versions.map((v) => v.Version), [1, 0]);
    assert.equal((await api.evaluations.info(first.EvalID)).data.Status, 'complete');
    const n = (await api.nodes.info(node.ID)).data;
    assert.equal(n.ID, node.ID);
    await waitFor('three allocations for "kept" and one for "late"', async () => {
      const k = (await api.jobs.allocations('kept')).data.filter((a) => a.DesiredStatus === 'run');
      const l = (await api.jobs.allocations('late')).data;
      const ev = (await api.evaluations.info(late.EvalID)).data;
      return k.length === 3 && l.length === 1 && ev.Status === 'complete' ? true : undefined;
    });
    // Allocation names stay stable across the restart.
    const names = (await api.jobs.allocations('kept')).data.filter((a) => a.DesiredStatus === 'run').map((a) => a.Name).sort();
    assert.deepEqual(names, ['kept.web[0]', 'kept.web[1]', 'kept.web[2]']);
    assert.ok(fs.existsSync(path.join(dataDir, 'server', 'state.db')));
  } finally {
    process.kill(srv.pid, 'SIGTERM');
    await srv.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

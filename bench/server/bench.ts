// Server benchmark (issue 5): through the real HTTP API of an in-process, SQLite-backed server —
//  1. job registration throughput and latency (p50/p99), 16 concurrent clients;
//  2. allocations placed per second with 1,000 simulated nodes (registration to all placed);
//  3. blocking-query fan-out: 1,000 waiting watchers woken by one write.
// Run: node --import tsx bench/server/bench.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { defaultConfig, mergeConfig } from '../../src/agent/config.js';
import { RoamApi } from '../../src/api/index.js';
import { nullLogger } from '../../src/structs/logger.js';
import { mockJob, mockNode, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-bench-server-'));
const config = mergeConfig(defaultConfig(os.hostname()), { bindAddr: '127.0.0.1', dataDir, logLevel: 'OFF', ports: { http: 0 }, server: { enabled: true, bootstrapExpect: 1, numSchedulers: 2, minHeartbeatTTL: 3_600_000 } });
const agent = new Agent(config, nullLogger);
await agent.start();
const address = `http://${agent.httpAddress}`;
const api = new RoamApi({ address });

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
const small = (id: string, count: number) => mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: count, Tasks: [mockTask({ Resources: mockResources({ CPU: 20, MemoryMB: 16 }) })] })] });

// 1. registrations (no nodes yet: each eval is processed and blocked, as in a real burst)
{
  const total = 2000;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        await api.jobs.register(small(`reg-${i}`, 1));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  console.log(`job registrations: ${total} in ${secs.toFixed(2)} s = ${(total / secs).toFixed(0)}/s; latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`);
  // Purge them so the next phase measures placement alone.
  await Promise.all(Array.from({ length: total }, (_, i) => api.jobs.deregister(`reg-${i}`, true)));
  await new Promise((r) => setTimeout(r, 2000));
  await api.system.gc();
}

// 2. placements with 1,000 nodes
{
  for (let i = 0; i < 1000; i++) {
    const node = mockNode({ Name: `bench-${i}` });
    const napi = new RoamApi({ address, token: node.SecretID });
    await napi.internal.registerNode(node);
    await napi.internal.updateStatus(node.ID, 'ready');
  }
  const jobs = 40;
  const perJob = 100;
  const started = performance.now();
  await Promise.all(Array.from({ length: jobs }, (_, i) => api.jobs.register(small(`place-${i}`, perJob))));
  for (;;) {
    const placed = (await api.allocations.list({ prefix: '' })).data.filter((a) => a.DesiredStatus === 'run').length;
    if (placed >= jobs * perJob) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const secs = (performance.now() - started) / 1000;
  console.log(`placements: ${jobs * perJob} allocations on 1,000 nodes in ${secs.toFixed(2)} s = ${((jobs * perJob) / secs).toFixed(0)}/s`);
}

// 3. blocking-query fan-out
{
  const base = (await api.jobs.list()).meta.lastIndex;
  const watchers = 1000;
  const woken: number[] = [];
  let t0 = 0;
  const waits = Array.from({ length: watchers }, () => api.jobs.info('place-0', { index: (base > 0 ? base : 1) + 0, wait: '60s' }).then(() => woken.push(performance.now() - t0)));
  await new Promise((r) => setTimeout(r, 2000));
  t0 = performance.now();
  await api.jobs.register({ ...small('place-0', 100), Meta: { bump: '1' } });
  await Promise.all(waits);
  console.log(`fan-out: ${watchers} blocking queries woken by one write: p50 ${pct(woken, 50).toFixed(1)} ms, p99 ${pct(woken, 99).toFixed(1)} ms, last ${Math.max(...woken).toFixed(1)} ms`);
}

console.log(`machine: ${os.cpus().length} cores, node ${process.version}, SQLite backend in ${dataDir}`);
await agent.shutdown();
fs.rmSync(dataDir, { recursive: true, force: true });

// Service discovery benchmark (issue 8): `GET /v1/service/:name` answering 1,000 registrations of
// one service, through the real HTTP API of an in-process server (SQLite backend) with the typed
// client in the same process — the read a `nomadService` template and `roam service info` make.
// The state holds 3,000 registrations (the 1,000 asked for among 2,000 of other services), written
// through the server's state writer in batches as clients' registrations would land. Prints the
// latency (p50/p99) of the full request, the JSON decoded by the client included, for the plain
// list and for `?choose=3|<key>` (the rendezvous subset templates ask for).
// Run: node --import tsx bench/services/bench.ts [requests=300]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { defaultConfig, mergeConfig } from '../../src/agent/config.js';
import { RoamApi } from '../../src/api/index.js';
import { put } from '../../src/server/state-writer.js';
import { keys } from '../../src/state/schema.js';
import { nullLogger } from '../../src/structs/logger.js';
import type { ServiceRegistration } from '../../src/structs/services.js';

const requests = Number(process.argv[2] ?? 300);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-bench-services-'));
const config = mergeConfig(defaultConfig(os.hostname()), { bindAddr: '127.0.0.1', dataDir, logLevel: 'OFF', ports: { http: 0 }, server: { enabled: true, bootstrapExpect: 1, numSchedulers: 1 } });
const agent = new Agent(config, nullLogger);
await agent.start();
const server = agent.server;
assert.ok(server);
const api = new RoamApi({ address: `http://${agent.httpAddress}` });

function registration(service: string, i: number): ServiceRegistration {
  const alloc = `${service.padEnd(8, '0').slice(0, 8)}-${String(i).padStart(4, '0')}-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    ID: `_nomad-task-${alloc}-group-${service}-${service}-http`,
    ServiceName: service,
    Namespace: 'default',
    NodeID: `node-${String(i % 50).padStart(4, '0')}-4000-8000-000000000000`,
    Datacenter: 'dc1',
    JobID: service,
    AllocID: alloc,
    Tags: i % 10 === 0 ? ['canary', 'http'] : ['http', `zone-${i % 3}`],
    Address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    Port: 20000 + (i % 10000),
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

const services = ['web', 'api', 'cache'];
for (const svc of services) {
  for (let b = 0; b < 1000; b += 100) {
    await server.writer.txn(() => ({ ops: Array.from({ length: 100 }, (_, k) => registration(svc, b + k)).map((r) => put(keys.service(r.Namespace, r.ID), r)), result: null }));
  }
}
assert.equal((await api.services.info('web')).data.length, 1000);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function measure(label: string, call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 30; i++) await call();
  const ms: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    await call();
    ms.push(performance.now() - t0);
  }
  console.log(`${label}: p50 ${pct(ms, 50).toFixed(2)} ms, p99 ${pct(ms, 99).toFixed(2)} ms (${requests} requests)`);
}

const body = JSON.stringify((await api.services.info('web')).data);
console.log(`GET /v1/service/web: 1,000 of 3,000 registrations, ${(body.length / 1024).toFixed(0)} KiB of JSON`);
await measure('  list', () => api.services.info('web'));
await measure('  ?choose=3|<key>', () => api.services.info('web', { params: { choose: '3|a0b1c2d3' } }));

await agent.shutdown();
fs.rmSync(dataDir, { recursive: true, force: true });

// Client benchmark (issue 6), against the real `roam agent -dev` binary with raw_exec:
//  1. time from `PUT /v1/jobs` to the task's state "running" for a one-task job, p50/p99 over 100 jobs;
//  2. one client running 500 raw_exec `sleep` tasks: the agent's RSS, its idle CPU, and the memory
//     the client adds per task beyond the task itself (the executor shims).
// Run: npm run build && node --import tsx bench/client/bench.ts [jobs=100] [tasks=500]
import fs from 'node:fs';
import { RoamApi } from '../../src/api/index.js';
import { startAgent } from '../../test/helpers/roam.js';

const JOBS = Number(process.argv[2] ?? 100);
const TASKS = Number(process.argv[3] ?? 500);
const TICK = 100; // clock ticks per second on Linux

const agent = await startAgent(['-dev', '-log-level', 'ERROR']);
const api = new RoamApi({ address: agent.address });
const pid = agent.proc.pid ?? 0;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
function rssKB(p: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}
function pssKB(p: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}
function cpuTicks(p: number): number {
  const fields = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}
const sleepJob = (id: string, count: number) => ({
  ID: id,
  Name: id,
  Type: 'service',
  Datacenters: ['*'],
  TaskGroups: [{ Name: 'g', Count: count, Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/sleep', args: ['3600'] }, Resources: { CPU: 1, MemoryMB: 10 }, LogConfig: { MaxFiles: 1, MaxFileSizeMB: 1, Disabled: false } }], EphemeralDisk: { SizeMB: 10 } }],
});

try {
  // 1. latency to running
  const lat: number[] = [];
  for (let i = 0; i < JOBS; i++) {
    const id = `lat-${i}`;
    const t0 = performance.now();
    await api.jobs.register(sleepJob(id, 1));
    let index = 0;
    for (;;) {
      const r = await api.jobs.allocations(id, false, { index, wait: '5s' });
      index = r.meta.lastIndex;
      if (r.data.some((a) => a.TaskStates?.['t']?.State === 'running')) break;
    }
    lat.push(performance.now() - t0);
    await api.jobs.deregister(id, true);
  }
  console.log(`PUT /v1/jobs → task running, ${JOBS} jobs: p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms (max ${Math.max(...lat).toFixed(0)} ms)`);
  await new Promise((r) => setTimeout(r, 3000));

  // 2. many tasks
  const before = rssKB(pid);
  await api.jobs.register(sleepJob('many', TASKS));
  const started = performance.now();
  for (;;) {
    const running = (await api.jobs.allocations('many')).data.filter((a) => a.ClientStatus === 'running').length;
    if (running >= TASKS) break;
    if (performance.now() - started > 600_000) throw new Error(`only ${running} of ${TASKS} running after 10 minutes`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`${TASKS} tasks running after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 5000));
  const t0 = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, 20_000));
  const idleCpu = ((cpuTicks(pid) - t0) / TICK / 20) * 100;
  const after = rssKB(pid);
  const shims = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'roam-executor';
    } catch {
      return false;
    }
  });
  const shimRss = shims.reduce((s, d) => s + rssKB(Number(d)), 0);
  const shimPss = shims.reduce((s, d) => s + pssKB(Number(d)), 0);
  const agentGrowth = (after - before) / TASKS;
  console.log(`agent RSS with ${TASKS} tasks: ${(after / 1024).toFixed(0)} MB (before: ${(before / 1024).toFixed(0)} MB); idle CPU ${idleCpu.toFixed(2)}% of a core`);
  console.log(`per task beyond the task itself: executor shim RSS ${(shimRss / shims.length / 1024).toFixed(2)} MB (PSS ${(shimPss / shims.length / 1024).toFixed(2)} MB) + agent ${(agentGrowth / 1024).toFixed(2)} MB = ${((shimPss / shims.length + agentGrowth) / 1024).toFixed(2)} MB (PSS basis), ${shims.length} shims`);
  await api.jobs.deregister('many', true);
  for (let i = 0; i < 120; i++) {
    const left = (await api.jobs.allocations('many').catch(() => ({ data: [] }))).data.filter((a) => a.ClientStatus === 'running').length;
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
} finally {
  await agent.stop();
}

// Scheduler benchmark, modelled on Nomad's scheduler benchmarks: 5,000 nodes in 50 racks
// (meta.rack), a service job of 600 or 1,200 allocations, with and without an even spread on the
// rack, always with a set_contains_any constraint that leaves half the racks eligible. Prints
// milliseconds per evaluation, nodes evaluated per evaluation, and RSS before/after 100
// repeated evaluations. CPU time per evaluation (process.cpuUsage) is printed beside wall time: on a
// shared machine the wall figure includes the time the run waited for a core. Run:
// node --import tsx bench/scheduler/bench.ts [scenario filter, e.g. "600 spread"]
import type { Job, Node } from '../../src/structs/index.js';
import { mockEval, mockJob, mockNode } from '../../src/structs/mock.js';
import { Harness } from '../../src/scheduler/index.js';

const NODES = 5000;
const RACKS = 50;
const NOW = Date.UTC(2026, 0, 1);

function cluster(): Node[] {
  return Array.from({ length: NODES }, (_, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const n = mockNode({ ID: id, Name: `node-${i}` });
    return { ...n, Meta: { ...n.Meta, rack: `r${i % RACKS}` }, Attributes: { ...n.Attributes, 'unique.hostname': `host-${i}` } };
  });
}

function job(count: number, spread: boolean): Job {
  const eligibleRacks = Array.from({ length: RACKS / 2 }, (_, i) => `r${i * 2}`).join(',');
  const j = mockJob({ ID: `bench-${count}-${spread ? 'spread' : 'plain'}`, Constraints: [{ LTarget: '${meta.rack}', RTarget: eligibleRacks, Operand: 'set_contains_any' }] });
  const tg = j.TaskGroups[0]!;
  tg.Count = count;
  tg.Tasks[0]!.Resources = { ...tg.Tasks[0]!.Resources, CPU: 100, MemoryMB: 128 };
  if (spread) tg.Spreads = [{ Attribute: '${meta.rack}', Weight: 100, SpreadTarget: null }];
  return j;
}

interface Figures {
  msPerEval: number;
  cpuMsPerEval: number;
  nodesEvaluated: number;
  placed: number;
}

async function run(nodes: Node[], j: Job, iterations: number): Promise<Figures> {
  const h = new Harness({ jobs: [j], nodes }, { now: NOW, dryRun: true });
  const once = async (i: number): Promise<{ ms: number; cpuMs: number; evaluated: number; placed: number }> => {
    const ev = mockEval({ ID: `eval-${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`, JobID: j.ID, Type: 'service' });
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    await h.process('service', ev);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const plan = h.plans[h.plans.length - 1];
    const allocs = Object.values(plan?.NodeAllocation ?? {}).flat();
    const evaluated = allocs.reduce((s, a) => s + (a.Metrics?.NodesEvaluated ?? 0), 0);
    // The harness records every plan and evaluation; drop them so RSS measures the scheduler.
    for (const list of [h.plans, h.results, h.updatedEvals, h.createdEvals, h.reblockedEvals] as unknown[][]) list.length = 0;
    return { ms, cpuMs, evaluated, placed: allocs.length };
  };
  for (let i = 0; i < 2; i++) await once(i);
  let ms = 0;
  let cpuMs = 0;
  let evaluated = 0;
  let placed = 0;
  for (let i = 0; i < iterations; i++) {
    const r = await once(100 + i);
    ms += r.ms;
    cpuMs += r.cpuMs;
    evaluated += r.evaluated;
    placed = r.placed;
  }
  return { msPerEval: ms / iterations, cpuMsPerEval: cpuMs / iterations, nodesEvaluated: evaluated / iterations, placed };
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const nodes = cluster();
  console.log(`scheduler benchmark: ${NODES} nodes, ${RACKS} racks, half the racks eligible (set_contains_any); node ${process.version}`);
  const filter = process.argv[2] ?? '';
  console.log('scenario                    wall ms/eval   CPU ms/eval   nodes evaluated/eval   placed');
  for (const [count, spread, iterations] of [[600, false, 20], [600, true, 5], [1200, false, 10], [1200, true, 3]] as const) {
    const name = `count ${String(count).padEnd(5)} ${spread ? 'spread on rack ' : 'no spread      '}`;
    if (filter !== '' && !filter.split(' ').every((w) => name.includes(w))) continue;
    const f = await run(nodes, job(count, spread), iterations);
    console.log(`${name}   ${f.msPerEval.toFixed(1).padStart(8)}   ${f.cpuMsPerEval.toFixed(1).padStart(11)}   ${f.nodesEvaluated.toFixed(0).padStart(20)}   ${f.placed}`);
  }
  if (filter !== '') return;
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const f = await run(nodes, job(600, false), 100);
  globalThis.gc?.();
  const after = process.memoryUsage().rss;
  console.log(`RSS before 100 evaluations (count 600, no spread): ${mb(before)}; after: ${mb(after)} (${f.msPerEval.toFixed(1)} ms/eval)`);
}

await main();

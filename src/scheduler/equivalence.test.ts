// Placement equivalence: the generic scheduler's decisions on seeded clusters, reduced to a
// fingerprint (node, alloc ID and name, resources, full Metrics incl. ScoreMetaData, stops, the
// evaluation's outcome) and compared with fingerprints recorded from the code before the
// placement stack was optimised. A performance change must leave every one of them unchanged;
// a deliberate behaviour change re-records them (ROAM_PRINT_FINGERPRINTS=1 prints the new ones).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Allocation, Job, Node } from '../structs/index.js';
import { mockAlloc, mockJob, mockNode } from '../structs/mock.js';
import { Harness } from './harness.js';
import type { SchedulerOptions } from './scheduler.js';
import { NOW, evalFor } from './testing.js';

/** A small deterministic generator (mulberry32), so the clusters do not depend on Math.random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` nodes over racks, zones and tiers, with mixed sizes; a few are down or draining. */
function cluster(seed: number, n: number, racks: number): Node[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const base = mockNode({ ID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, Name: `node-${i}`, SecretID: 'secret' });
    const big = r() < 0.3;
    const roll = r();
    return {
      ...base,
      NodeClass: big ? 'large' : 'medium',
      Meta: { ...base.Meta, rack: `r${Math.floor(r() * racks)}`, zone: `z${i % 3}`, tier: r() < 0.5 ? 'gold' : 'silver' },
      Attributes: { ...base.Attributes, 'unique.hostname': `host-${i}` },
      NodeResources: { ...base.NodeResources, Cpu: { ...base.NodeResources.Cpu, CpuShares: big ? 8000 : 2000 + Math.floor(r() * 4) * 500 }, Memory: { MemoryMB: big ? 16384 : 2048 + Math.floor(r() * 4) * 1024 } },
      ...(roll < 0.03 ? { Status: 'down' as const } : {}),
      ...(roll > 0.97 ? { SchedulingEligibility: 'ineligible' as const } : {}),
    };
  });
}

function serviceJob(id: string, count: number, over: (j: Job) => void = () => undefined): Job {
  const j = mockJob({ ID: id });
  const tg = j.TaskGroups[0]!;
  tg.Count = count;
  tg.Tasks[0]!.Resources = { ...tg.Tasks[0]!.Resources, CPU: 250, MemoryMB: 512 };
  over(j);
  return j;
}

/** Running allocs of the job on seeded nodes, names [0, n). */
function existing(job: Job, ns: readonly Node[], n: number, seed: number, over: Partial<Allocation> = {}): Allocation[] {
  const r = prng(seed);
  const ready = ns.filter((x) => x.Status === 'ready');
  return Array.from({ length: n }, (_, i) => mockAlloc(job, ready[Math.floor(r() * ready.length)], { ID: `aaaaaaaa-${String(seed).padStart(4, '0')}-4000-8000-${String(i).padStart(12, '0')}`, EvalID: 'eval', Name: `${job.ID}.${job.TaskGroups[0]!.Name}[${i}]`, ClientStatus: 'running', ...over }));
}

interface Scenario {
  name: string;
  jobs: Job[];
  nodes: Node[];
  allocs?: Allocation[];
  options?: Partial<SchedulerOptions>;
  type?: string;
}

function sortedPlacements(m: Record<string, Allocation[]>): Allocation[] {
  return Object.keys(m)
    .sort()
    .flatMap((k) => m[k] ?? []);
}

async function fingerprint(s: Scenario): Promise<string> {
  const h = new Harness({ jobs: s.jobs, nodes: s.nodes, allocs: s.allocs ?? [] }, { now: NOW, seed: 42 });
  const job = s.jobs[0]!;
  await h.process(s.type ?? job.Type, evalFor(job), s.options ?? {});
  const out: unknown[] = [];
  for (const plan of h.plans) {
    out.push(sortedPlacements(plan.NodeAllocation).map((a) => [a.NodeID, a.ID, a.Name, a.PreviousAllocation, a.AllocatedResources, a.Metrics, a.RescheduleTracker]));
    out.push(sortedPlacements(plan.NodeUpdate).map((a) => [a.NodeID, a.ID, a.Name, a.DesiredStatus, a.DesiredDescription, a.ClientStatus]));
  }
  const ev = h.lastEval();
  out.push([ev?.Status, ev?.StatusDescription, ev?.FailedTGAllocs, ev?.QueuedAllocations, h.createdEvals.map((e) => [e.Status, e.ClassEligibility, e.EscapedComputedClass])]);
  const hash = createHash('sha256').update(JSON.stringify(out)).digest('hex').slice(0, 24);
  const placedCount = h.plans.reduce((n, p) => n + sortedPlacements(p.NodeAllocation).length, 0);
  return `${placedCount}:${hash}`;
}

const nodesA = cluster(1, 400, 20);
const nodesB = cluster(2, 300, 12);
const rackEven = { Attribute: '${meta.rack}', Weight: 100, SpreadTarget: null };
const zoneTargets = { Attribute: '${meta.zone}', Weight: 60, SpreadTarget: [{ Value: 'z0', Percent: 50 }, { Value: 'z1', Percent: 30 }] };
const halfRacks = (racks: number): string => Array.from({ length: racks / 2 }, (_, i) => `r${i * 2}`).join(',');

const scenarios: (() => Scenario)[] = [
  () => ({ name: 'even rack spread, set_contains_any on half the racks', nodes: nodesA, jobs: [serviceJob('even', 150, (j) => {
    j.Constraints = [{ LTarget: '${meta.rack}', RTarget: halfRacks(20), Operand: 'set_contains_any' }];
    j.TaskGroups[0]!.Spreads = [rackEven];
  })] }),
  () => ({ name: 'targeted zone spread + even rack spread + affinity', nodes: nodesA, jobs: [serviceJob('targets', 120, (j) => {
    j.Spreads = [zoneTargets];
    j.TaskGroups[0]!.Spreads = [{ ...rackEven, Weight: 40 }];
    j.Affinities = [{ LTarget: '${meta.tier}', RTarget: 'gold', Operand: '=', Weight: 70 }];
    j.TaskGroups[0]!.Affinities = [{ LTarget: '${node.class}', RTarget: 'large', Operand: '=', Weight: -30 }];
  })] }),
  () => ({ name: 'target with 0% and implicit remainder, distinct_hosts', nodes: nodesB, jobs: [serviceJob('zero', 90, (j) => {
    j.Constraints = [{ LTarget: '', RTarget: '', Operand: 'distinct_hosts' }];
    j.TaskGroups[0]!.Spreads = [{ Attribute: '${meta.zone}', Weight: 100, SpreadTarget: [{ Value: 'z0', Percent: 0 }, { Value: 'z2', Percent: 40 }] }];
  })] }),
  () => ({ name: 'distinct_property on rack and affinity, no spread', nodes: nodesB, jobs: [serviceJob('dprop', 60, (j) => {
    j.TaskGroups[0]!.Constraints = [{ LTarget: '${meta.rack}', RTarget: '5', Operand: 'distinct_property' }];
    j.TaskGroups[0]!.Affinities = [{ LTarget: '${meta.tier}', RTarget: 'silver', Operand: '=', Weight: 50 }];
  })] }),
  () => ({ name: 'plain binpack, big asks exhausting nodes (some fail)', nodes: nodesB, jobs: [serviceJob('exhaust', 900, (j) => {
    j.TaskGroups[0]!.Tasks[0]!.Resources = { ...j.TaskGroups[0]!.Tasks[0]!.Resources, CPU: 1500, MemoryMB: 3000 };
  })] }),
  () => ({ name: 'spread with exhaustion and the spread algorithm', nodes: nodesB, options: { algorithm: 'spread' }, jobs: [serviceJob('exhaust-spread', 900, (j) => {
    j.TaskGroups[0]!.Tasks[0]!.Resources = { ...j.TaskGroups[0]!.Tasks[0]!.Resources, CPU: 1200, MemoryMB: 2500 };
    j.TaskGroups[0]!.Spreads = [rackEven];
  })] }),
  () => {
    const job = serviceJob('up', 140, (j) => (j.TaskGroups[0]!.Spreads = [rackEven, { ...zoneTargets, Weight: 30 }]));
    return { name: 'count 60 → 140 with spreads, existing allocs counted', nodes: nodesA, jobs: [job], allocs: existing(job, nodesA, 60, 7) };
  },
  () => {
    const job = serviceJob('down', 25, (j) => (j.TaskGroups[0]!.Spreads = [rackEven]));
    return { name: 'count 60 → 25 with spread (stops)', nodes: nodesA, jobs: [job], allocs: existing(job, nodesA, 60, 8) };
  },
  () => {
    const old = serviceJob('destructive', 50, (j) => (j.TaskGroups[0]!.Spreads = [rackEven]));
    const job = structuredClone(old);
    job.JobModifyIndex = 200;
    job.Version = 1;
    job.TaskGroups[0]!.Tasks[0]!.Config = { run_for: '20s' };
    job.TaskGroups[0]!.Update = { ...job.Update, MaxParallel: 20 };
    job.TaskGroups[0]!.EphemeralDisk = { ...job.TaskGroups[0]!.EphemeralDisk, Sticky: true };
    const allocs = existing(old, nodesA, 50, 9);
    for (let i = 0; i < 5; i++) allocs[i] = { ...allocs[i]!, ClientStatus: 'failed' };
    return { name: 'destructive update with spread, sticky disk and failed allocs', nodes: nodesA, jobs: [job], allocs };
  },
  () => ({ name: 'two groups, one with spread and dynamic ports', nodes: nodesA, jobs: [serviceJob('groups', 40, (j) => {
    const tg = j.TaskGroups[0]!;
    j.TaskGroups.push({ ...structuredClone(tg), Name: 'api', Count: 70, Spreads: [rackEven], Networks: [{ Mode: 'host', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: null, DynamicPorts: [{ Label: 'http', Value: 0, To: 0, HostNetwork: 'default' }] }] });
  })] }),
  () => ({ name: 'batch job with spread and node limit 50', nodes: nodesB, type: 'batch', options: { nodeLimitForFeasibilityChecks: 50 }, jobs: [serviceJob('batch', 80, (j) => {
    j.Type = 'batch';
    j.TaskGroups[0]!.Spreads = [{ Attribute: '${meta.tier}', Weight: 50, SpreadTarget: null }, { Attribute: '${meta.missing}', Weight: 50, SpreadTarget: null }];
  })] }),
];

/** Recorded from the scheduler before the placement-stack optimisation (see BENCHMARKS.md). */
const expected: Record<string, string> = {
  "even rack spread, set_contains_any on half the racks": '150:74701f4d3060d4d381604f3b',
  "targeted zone spread + even rack spread + affinity": '120:6ec35db07a405f59cc34be62',
  "target with 0% and implicit remainder, distinct_hosts": '90:fba9b58efcaba20945585f21',
  "distinct_property on rack and affinity, no spread": '60:b23931b1fd765a647317bc5e',
  "plain binpack, big asks exhausting nodes (some fail)": '521:c4eece06e34d1b0452213817',
  "spread with exhaustion and the spread algorithm": '651:32c7ce04a425e2579dc3fabd',
  "count 60 → 140 with spreads, existing allocs counted": '80:ab20ea86a38aa04a2a0e06db',
  "count 60 → 25 with spread (stops)": '0:46e5f343c0d57fd5f60860b9',
  "destructive update with spread, sticky disk and failed allocs": '20:88936b6385abd8bc7e398fd6',
  "two groups, one with spread and dynamic ports": '110:3ecf4a40056d7616c5b6cb80',
  "batch job with spread and node limit 50": '80:bc06d355d2bfe134edde476e',
};

describe('scheduler placement equivalence (recorded fingerprints)', () => {
  for (const make of scenarios) {
    const s = make();
    it(s.name, async () => {
      const got = await fingerprint(s);
      if (process.env['ROAM_PRINT_FINGERPRINTS'] === '1') console.log(`  ${JSON.stringify(s.name)}: '${got}',`);
      assert.equal(got, expected[s.name]);
    });
  }
});

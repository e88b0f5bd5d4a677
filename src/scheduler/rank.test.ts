// Ranking through the scheduler: bin packing prefers fuller nodes, the spread algorithm emptier
// ones; job anti-affinity, node affinity and spread targets steer placements; distinct_hosts,
// distinct_property and port exhaustion filter nodes with Nomad's metric keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job, Node } from '../structs/index.js';
import { mockAlloc, mockJob } from '../structs/mock.js';
import { Harness } from './harness.js';
import { NOW, evalFor, nodes, placed } from './testing.js';

function oneAlloc(): Job {
  const job = mockJob({ ID: 'web' });
  job.TaskGroups[0]!.Count = 1;
  return job;
}

async function placeWith(job: Job, ns: Node[], extra: Parameters<Harness['process']>[2] = {}, allocs = [mockAlloc(mockJob({ ID: 'other' }), ns[0], { ClientStatus: 'running' })]): Promise<Harness> {
  const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
  await h.process(job.Type, evalFor(job), extra);
  return h;
}

describe('ranking', () => {
  it('bin packing prefers the fuller node', async () => {
    const ns = nodes(2);
    const h = await placeWith(oneAlloc(), ns);
    assert.equal(placed(h.plans[0])[0]?.NodeID, ns[0]!.ID);
    const meta = placed(h.plans[0])[0]?.Metrics?.ScoreMetaData ?? [];
    assert.equal(meta.length, 2);
    assert.ok((meta[0]?.Scores['binpack'] ?? 0) > (meta[1]?.Scores['binpack'] ?? 1));
  });

  it('the spread algorithm prefers the emptier node', async () => {
    const ns = nodes(2);
    const h = await placeWith(oneAlloc(), ns, { algorithm: 'spread' });
    assert.equal(placed(h.plans[0])[0]?.NodeID, ns[1]!.ID);
  });

  it('job anti-affinity spreads a group over identical nodes', async () => {
    const job = oneAlloc();
    job.TaskGroups[0]!.Count = 2;
    const h = await placeWith(job, nodes(2), {}, []);
    assert.equal(new Set(placed(h.plans[0]).map((a) => a.NodeID)).size, 2);
  });

  it('a node affinity pulls the placement to matching nodes', async () => {
    const ns = nodes(4).map((n, i) => ({ ...n, Meta: { ...n.Meta, rack: `r${i}` } }));
    const job = oneAlloc();
    job.Affinities = [{ LTarget: '${meta.rack}', RTarget: 'r3', Operand: '=', Weight: 100 }];
    const h = await placeWith(job, ns);
    const a = placed(h.plans[0])[0];
    assert.equal(a?.NodeID, ns[3]!.ID);
    assert.equal(a?.Metrics?.ScoreMetaData?.[0]?.Scores['node-affinity'], 1);
  });

  it('spread targets divide allocations by percentage', async () => {
    const ns = nodes(10).map((n, i) => ({ ...n, Meta: { ...n.Meta, zone: i < 5 ? 'a' : 'b' } }));
    const job = oneAlloc();
    job.TaskGroups[0]!.Count = 10;
    job.Spreads = [{ Attribute: '${meta.zone}', Weight: 100, SpreadTarget: [{ Value: 'a', Percent: 70 }, { Value: 'b', Percent: 30 }] }];
    const h = await placeWith(job, ns, {}, []);
    const zones = placed(h.plans[0]).map((a) => ns.find((n) => n.ID === a.NodeID)?.Meta['zone']);
    assert.equal(zones.filter((z) => z === 'a').length, 7);
    assert.equal(zones.filter((z) => z === 'b').length, 3);
  });

  it('an even spread balances allocations across values', async () => {
    const ns = nodes(9).map((n, i) => ({ ...n, Meta: { ...n.Meta, rack: `r${i % 3}` } }));
    const job = oneAlloc();
    job.TaskGroups[0]!.Count = 6;
    job.Spreads = [{ Attribute: '${meta.rack}', Weight: 100, SpreadTarget: null }];
    const h = await placeWith(job, ns, {}, []);
    const racks = placed(h.plans[0]).map((a) => ns.find((n) => n.ID === a.NodeID)?.Meta['rack']);
    for (const r of ['r0', 'r1', 'r2']) assert.equal(racks.filter((x) => x === r).length, 2, r);
  });
});

describe('distinct constraints and ports', () => {
  it('distinct_hosts leaves the third allocation of two nodes unplaced', async () => {
    const job = oneAlloc();
    job.TaskGroups[0]!.Count = 3;
    job.Constraints = [{ LTarget: '', RTarget: '', Operand: 'distinct_hosts' }];
    const h = await placeWith(job, nodes(2), {}, []);
    assert.equal(placed(h.plans[0]).length, 2);
    assert.equal(h.lastEval()?.FailedTGAllocs?.['web']?.ConstraintFiltered?.['distinct_hosts'], 2);
  });

  it('distinct_property allows the given number of allocations per value', async () => {
    const ns = nodes(4).map((n, i) => ({ ...n, Meta: { ...n.Meta, rack: `r${i % 2}` } }));
    const job = oneAlloc();
    job.TaskGroups[0]!.Count = 5;
    job.TaskGroups[0]!.Constraints = [{ LTarget: '${meta.rack}', RTarget: '2', Operand: 'distinct_property' }];
    const h = await placeWith(job, ns, {}, []);
    assert.equal(placed(h.plans[0]).length, 4);
    assert.ok(Object.keys(h.lastEval()?.FailedTGAllocs?.['web']?.ConstraintFiltered ?? {}).some((k) => k.startsWith('distinct_property: ${meta.rack}=r')));
  });

  it('a static port collision exhausts nodes under "network: reserved port collision http=22"', async () => {
    const job = oneAlloc();
    job.TaskGroups[0]!.Networks = [{ Mode: 'host', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: [{ Label: 'http', Value: 22, To: 0, HostNetwork: 'default' }], DynamicPorts: null }];
    const h = await placeWith(job, nodes(2), {}, []);
    assert.deepEqual(h.lastEval()?.FailedTGAllocs?.['web']?.DimensionExhausted, { 'network: reserved port collision http=22': 2 });
  });

  it('placed allocations carry their assigned ports', async () => {
    const job = oneAlloc();
    job.TaskGroups[0]!.Networks = [{ Mode: 'host', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: [{ Label: 'http', Value: 8080, To: 0, HostNetwork: 'default' }], DynamicPorts: [{ Label: 'metrics', Value: 0, To: 0, HostNetwork: 'default' }] }];
    const h = await placeWith(job, nodes(1), {}, []);
    const ports = placed(h.plans[0])[0]?.AllocatedResources?.Shared.Ports ?? [];
    assert.equal(ports.find((p) => p.Label === 'http')?.Value, 8080);
    const dyn = ports.find((p) => p.Label === 'metrics')?.Value ?? 0;
    assert.ok(dyn >= 20000 && dyn <= 32000);
  });
});

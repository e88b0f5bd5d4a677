// Property tests of the reconciler through the harness: whatever the starting allocations,
// a group never ends with more live allocations than its count, live names stay unique and in
// [0, count), a stable cluster reconciles to a no-op, and a node going down always gets its
// service allocations replaced. (Existing names are never renamed: an alloc left at an index
// beyond a shrunken count keeps it, as in Nomad.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AllocClientStatus, Allocation, Job, Node } from '../structs/index.js';
import { allocIndexFromName } from '../structs/index.js';
import { mockAlloc, mockJob } from '../structs/mock.js';
import { Harness } from './harness.js';
import { NOW, evalFor, nodes, placed, stopped } from './testing.js';

interface Existing {
  index: number;
  node: number;
  status: AllocClientStatus;
}

const existingArb = fc.uniqueArray(fc.record({ index: fc.nat(12), node: fc.nat(5), status: fc.constantFrom<AllocClientStatus>('pending', 'running', 'running', 'complete', 'failed', 'lost') }), { selector: (e) => e.index, maxLength: 12 });

function setup(count: number, existing: Existing[], downNodes: number[] = []): { job: Job; ns: Node[]; allocs: Allocation[] } {
  const job = mockJob({ ID: 'web' });
  job.TaskGroups[0]!.Count = count;
  const ns = nodes(6).map((n, i) => (downNodes.includes(i) ? { ...n, Status: 'down' as const } : n));
  const allocs = existing.map((e, i) => mockAlloc(job, ns[e.node], { ID: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`, Name: `web.web[${e.index}]`, ClientStatus: e.status, ModifyTime: (NOW - 3_600_000) * 1e6 }));
  return { job, ns, allocs };
}

const live = (h: Harness): Allocation[] => h.state.allocsByJob('default', 'web', false);

describe('reconciler properties', () => {
  it('never leaves more live allocations than count; live names are unique and new names lie in [0, count)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10 }), existingArb, fc.subarray([0, 1, 2, 3, 4, 5], { maxLength: 2 }), async (count, existing, down) => {
        const { job, ns, allocs } = setup(count, existing, down);
        const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
        await h.process('service', evalFor(job, { TriggeredBy: 'node-update' }));
        const l = live(h);
        assert.ok(l.length <= count, `${l.length} live > count ${count}`);
        const names = l.map((a) => a.Name);
        assert.equal(new Set(names).size, names.length);
        for (const a of placed(h.plans[0]).filter((x) => x.PreviousAllocation === '' && !allocs.some((e) => e.ID === x.ID))) {
          const i = allocIndexFromName(a.Name);
          assert.ok(i >= 0 && i < count, a.Name);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a stable cluster reconciles to a no-op', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.nat(5), async (count, offset) => {
        const existing = Array.from({ length: count }, (_, i) => ({ index: i, node: (i + offset) % 6, status: 'running' as const }));
        const { job, ns, allocs } = setup(count, existing);
        const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
        await h.process('service', evalFor(job));
        assert.equal(h.plans.length, 0);
        assert.equal(h.lastEval()?.Status, 'complete');
      }),
      { numRuns: 40 },
    );
  });

  it('a node going down always yields replacements for its service allocations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.nat(5), fc.nat(5), async (count, offset, downNode) => {
        const existing = Array.from({ length: count }, (_, i) => ({ index: i, node: (i + offset) % 6, status: 'running' as const }));
        const { job, ns, allocs } = setup(count, existing, [downNode]);
        const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
        await h.process('service', evalFor(job, { TriggeredBy: 'node-update' }));
        const onDown = allocs.filter((a) => a.NodeID === ns[downNode]!.ID);
        const stops = stopped(h.plans[0]);
        const repl = placed(h.plans[0]);
        for (const a of onDown) {
          assert.equal(stops.find((s) => s.ID === a.ID)?.ClientStatus, 'lost');
          const r = repl.find((p) => p.PreviousAllocation === a.ID);
          assert.ok(r, `no replacement for ${a.Name}`);
          assert.equal(r.Name, a.Name);
          assert.notEqual(r.NodeID, ns[downNode]!.ID);
        }
        assert.equal(live(h).length, count);
      }),
      { numRuns: 40 },
    );
  });
});

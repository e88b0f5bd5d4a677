// Feasibility: datacenter globs, node pools, readiness, drivers, and the computed-class cache
// (including constraints on unique targets that escape it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockJob, mockNode } from '../structs/mock.js';
import { dcMatches, hasDrivers, readyNodesInDCsAndPool } from './feasibility.js';
import { Harness } from './harness.js';
import { computeNodeClass } from './node-class.js';
import { createRng, seedFromEval, shuffle } from './rng.js';
import { NOW, evalFor, nodes } from './testing.js';

describe('candidate nodes', () => {
  it('datacenter patterns glob with *', () => {
    assert.equal(dcMatches('us-east-1', ['us-*']), true);
    assert.equal(dcMatches('eu-west', ['us-*', '*-west']), true);
    assert.equal(dcMatches('dc1', ['dc2']), false);
    assert.equal(dcMatches('dc.1', ['dc*1']), true);
  });
  it('only ready, undrained, eligible nodes in the pool count ("all" matches every pool)', () => {
    const ns = [mockNode({ ID: 'a' }), mockNode({ ID: 'b', Status: 'down' }), mockNode({ ID: 'c', SchedulingEligibility: 'ineligible' }), mockNode({ ID: 'd', NodePool: 'gpu' }), mockNode({ ID: 'e', Datacenter: 'dc2' })];
    const state = { nodes: () => ns };
    const r = readyNodesInDCsAndPool(state, ['dc1', 'dc3'], 'default');
    assert.deepEqual(r.nodes.map((n) => n.ID), ['a']);
    assert.deepEqual([...r.notReady].sort(), ['b', 'c']);
    assert.deepEqual(r.byDC, { dc1: 1, dc3: 0 });
    assert.deepEqual(readyNodesInDCsAndPool(state, ['*'], 'all').nodes.map((n) => n.ID).sort(), ['a', 'd', 'e']);
  });
  it('drivers must be detected and healthy, or enabled by attribute', () => {
    const n = mockNode();
    assert.equal(hasDrivers(n, new Set(['mock_driver'])), true);
    assert.equal(hasDrivers({ ...n, Drivers: { ...n.Drivers, mock_driver: { ...n.Drivers['mock_driver']!, Healthy: false } } }, new Set(['mock_driver'])), false);
    assert.equal(hasDrivers({ ...n, Attributes: { ...n.Attributes, 'driver.exec': 'true' } }, new Set(['exec'])), true);
    assert.equal(hasDrivers(n, new Set(['docker'])), false);
  });
});

describe('computed node classes', () => {
  it('ignore unique.* attributes but not other attributes or meta', () => {
    const a = mockNode({ ID: 'a' });
    const b = { ...mockNode({ ID: 'b' }), Attributes: { ...a.Attributes, 'unique.hostname': 'other' } };
    assert.equal(computeNodeClass(a), computeNodeClass(b));
    assert.notEqual(computeNodeClass(a), computeNodeClass({ ...a, Meta: { ...a.Meta, rack: 'r9' } }));
    assert.notEqual(computeNodeClass(a), computeNodeClass({ ...a, NodePool: 'gpu' }));
  });
  it('feasibility is decided once per class: later nodes of the class are "computed class ineligible"', async () => {
    const job = mockJob({ ID: 'web', Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }] });
    const h = new Harness({ jobs: [job], nodes: nodes(3) }, { now: NOW });
    await h.process('service', evalFor(job));
    assert.deepEqual(h.lastEval()?.FailedTGAllocs?.['web']?.ConstraintFiltered, { '${attr.kernel.name} = windows': 1, 'computed class ineligible': 2 });
    assert.equal(h.createdEvals[0]?.EscapedComputedClass, false);
  });
  it('a constraint on a unique target escapes the class cache', async () => {
    const job = mockJob({ ID: 'web', Constraints: [{ LTarget: '${node.unique.name}', RTarget: 'nowhere', Operand: '=' }] });
    const h = new Harness({ jobs: [job], nodes: nodes(3) }, { now: NOW });
    await h.process('service', evalFor(job));
    assert.deepEqual(h.lastEval()?.FailedTGAllocs?.['web']?.ConstraintFiltered, { '${node.unique.name} = nowhere': 3 });
    const blocked = h.createdEvals[0];
    assert.equal(blocked?.EscapedComputedClass, true);
    assert.equal(blocked?.ClassEligibility, null);
  });
});

describe('seeded randomness', () => {
  it('the shuffle seed depends on the eval ID and the snapshot index', () => {
    const id = '11111111-2222-4333-8444-555555555555';
    assert.equal(seedFromEval(id, 5), seedFromEval(id, 5));
    assert.notEqual(seedFromEval(id, 5), seedFromEval(id, 9)); // Nomad drops the low two bits (seed >> 2)
    assert.notEqual(seedFromEval(id, 5), seedFromEval('11111111-2222-4333-8444-55555555555a', 5));
  });
  it('the same seed shuffles the same way', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    const b = [...a];
    shuffle(a, createRng(42));
    shuffle(b, createRng(42));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, Array.from({ length: 20 }, (_, i) => i));
  });
});

// Port assignment on a node: static collisions, reserved host ports, dynamic ranges and their
// exhaustion, as the placement metrics name them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkResource, Node } from '../structs/index.js';
import { mockAlloc, mockJob, mockNode } from '../structs/mock.js';
import { NetworkIndex, parsePortRanges } from './network-index.js';
import { createRng } from './rng.js';

const ask = (over: Partial<NetworkResource>): NetworkResource => ({ Mode: 'host', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: null, DynamicPorts: null, ...over });
const nodeWith = (reserved: string, min = 20000, max = 32000): Node => {
  const n = mockNode();
  return { ...n, ReservedResources: { ...n.ReservedResources!, Networks: { ReservedHostPorts: reserved } }, NodeResources: { ...n.NodeResources, MinDynamicPort: min, MaxDynamicPort: max } };
};

describe('network index', () => {
  it('parses reserved host port lists', () => {
    assert.deepEqual(parsePortRanges('22,80,8000-8002'), [22, 80, 8000, 8001, 8002]);
    assert.equal(parsePortRanges('80-70'), null);
    assert.equal(parsePortRanges('x'), null);
  });
  it('a static port on a reserved host port collides', () => {
    const idx = new NetworkIndex(nodeWith('22,80,8000-8100'));
    const r = idx.assignPorts(ask({ ReservedPorts: [{ Label: 'http', Value: 8080, To: 0, HostNetwork: 'default' }] }), createRng(1));
    assert.deepEqual(r, { error: 'reserved port collision http=8080' });
  });
  it('a static port used by another allocation collides', () => {
    const node = nodeWith('22');
    const idx = new NetworkIndex(node);
    const other = mockAlloc(mockJob(), node);
    other.AllocatedResources!.Shared.Ports = [{ Label: 'db', Value: 5432, To: 0, HostIP: '192.168.0.100' }];
    assert.equal(idx.addAllocs([other]), null);
    const r = idx.assignPorts(ask({ ReservedPorts: [{ Label: 'pg', Value: 5432, To: 0, HostNetwork: 'default' }] }), createRng(1));
    assert.deepEqual(r, { error: 'reserved port collision pg=5432' });
  });
  it('dynamic ports come from the node range, never reserved or taken ones', () => {
    const idx = new NetworkIndex(nodeWith('20000-20008', 20000, 20010));
    const r = idx.assignPorts(ask({ DynamicPorts: [{ Label: 'a', Value: 0, To: -1, HostNetwork: 'default' }, { Label: 'b', Value: 0, To: 0, HostNetwork: 'default' }] }), createRng(3));
    assert.ok(!('error' in r));
    const values = r.ports.map((p) => p.Value).sort();
    assert.deepEqual(values, [20009, 20010]);
    assert.equal(r.ports.find((p) => p.Label === 'a')?.To, r.ports.find((p) => p.Label === 'a')?.Value);
  });
  it('an exhausted dynamic range fails with "dynamic port selection failed"', () => {
    const idx = new NetworkIndex(nodeWith('20000-20010', 20000, 20010));
    assert.deepEqual(idx.assignPorts(ask({ DynamicPorts: [{ Label: 'a', Value: 0, To: 0, HostNetwork: 'default' }] }), createRng(1)), { error: 'dynamic port selection failed' });
  });
});

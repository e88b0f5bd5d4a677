import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mockAlloc, mockJob, mockNode } from '../structs/mock.js';
import type { Service } from '../structs/services.js';
import { buildRegistrations, groupEnv, nomadServices } from './services.js';

const svc = (over: Partial<Service>): Service => ({ Name: 'web', TaskName: '', PortLabel: '', AddressMode: 'auto', Address: '', EnableTagOverride: false, Tags: null, CanaryTags: null, Checks: null, Connect: null, Meta: null, CanaryMeta: null, TaggedAddresses: null, Namespace: 'default', OnUpdate: 'require_healthy', Provider: 'nomad', Cluster: 'default', Identity: null, ...over });

test('nomadServices keeps provider "nomad" and sets the others (consul) aside', () => {
  const r = nomadServices([svc({ Name: 'a' }), svc({ Name: 'b', Provider: 'consul' }), svc({ Name: 'c', Provider: '' })]);
  assert.deepEqual(r.nomad.map((s) => s.Name), ['a']);
  assert.deepEqual(r.consul.map((s) => s.Name), ['b', 'c']);
});

test('registrations use the mapped host port and HostIP of the label, or the node IP and port 0', () => {
  const node = mockNode({ Datacenter: 'dc9' });
  node.Attributes = { ...node.Attributes, 'unique.network.ip-address': '10.0.0.5' };
  const alloc = mockAlloc(mockJob({ ID: 'j' }), node);
  alloc.AllocatedResources = { ...alloc.AllocatedResources!, Shared: { ...alloc.AllocatedResources!.Shared, Ports: [{ Label: 'http', Value: 23456, To: 8080, HostIP: '192.168.1.2' }] } };
  const regs = buildRegistrations(alloc, node, 'group-g', [svc({ Name: '${NOMAD_GROUP_NAME}-web', PortLabel: 'http', Tags: ['x', '${NOMAD_PORT_http}'] }), svc({ Name: 'plain' })], groupEnv(alloc, node, 'global'));
  assert.equal(regs.length, 2);
  const [a, b] = regs;
  assert.equal(a?.ServiceName, `${alloc.TaskGroup}-web`);
  assert.equal(a?.ID, `_nomad-task-${alloc.ID}-group-g-${alloc.TaskGroup}-web-http`);
  assert.equal(a?.Address, '192.168.1.2');
  assert.equal(a?.Port, 23456);
  assert.deepEqual(a?.Tags, ['x', '8080']);
  assert.equal(a?.Datacenter, 'dc9');
  assert.equal(a?.NodeID, node.ID);
  assert.equal(a?.JobID, alloc.JobID);
  assert.equal(b?.Address, '10.0.0.5');
  assert.equal(b?.Port, 0);
  assert.equal(b?.ID, `_nomad-task-${alloc.ID}-group-g-plain-`);
});

// Client-side writes of Nomad-provider service registrations through /v1/internal/services:
// node-secret authentication, only the caller's own (live) allocations, deletes by ID, and the
// operator's DELETE /v1/service/:name/:id, and ?choose on /v1/service/:name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, RoamApi } from '../../src/api/index.js';
import { mockJob, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import type { Allocation } from '../../src/structs/alloc.js';
import { serviceRegistrationID, type ServiceRegistration } from '../../src/structs/services.js';
import { addNode, startServer, waitFor, type SimNode, type TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
let a: SimNode;
let b: SimNode;
let allocA: Allocation;
let allocB: Allocation;

before(async () => {
  c = await startServer();
  a = await addNode(c);
  b = await addNode(c);
  // One alloc per node: a system-like spread via two jobs pinned by node ID.
  for (const [id, node] of [['svc-a', a], ['svc-b', b]] as const) {
    await c.api.jobs.register(
      mockJob({
        ID: id,
        Name: id,
        Datacenters: ['*'],
        Constraints: [{ LTarget: '${node.unique.id}', RTarget: node.node.ID, Operand: '=' }],
        TaskGroups: [mockTaskGroup({ Count: 1, Tasks: [mockTask({ Resources: mockResources({ CPU: 50, MemoryMB: 32 }) })] })],
      }),
    );
  }
  const allocOf = (job: string): Promise<Allocation> =>
    waitFor(`${job} alloc`, async () => {
      const stubs = (await c.api.jobs.allocations(job)).data;
      return stubs[0] ? (await c.api.allocations.info(stubs[0].ID)).data : undefined;
    });
  allocA = await allocOf('svc-a');
  allocB = await allocOf('svc-b');
  assert.equal(allocA.NodeID, a.node.ID);
  assert.equal(allocB.NodeID, b.node.ID);
});
after(async () => {
  a?.stopHeartbeats();
  b?.stopHeartbeats();
  await c?.close();
});

function reg(alloc: Allocation, node: SimNode, name: string, port = 25000): ServiceRegistration {
  return { ID: serviceRegistrationID(alloc.ID, 'group-web', name, 'http'), ServiceName: name, Namespace: 'default', NodeID: node.node.ID, Datacenter: 'dc1', JobID: alloc.JobID, AllocID: alloc.ID, Tags: ['t1'], Address: '127.0.0.1', Port: port, CreateIndex: 0, ModifyIndex: 0 };
}

const status = (code: number) => (e: unknown) => e instanceof ApiError && e.status === code;

test('a client upserts its own registrations; readers see them', async () => {
  await a.api.internal.upsertServices([reg(allocA, a, 'web')]);
  const got = (await c.api.services.info('web')).data;
  assert.equal(got.length, 1);
  assert.equal(got[0]?.Address, '127.0.0.1');
  assert.equal(got[0]?.Port, 25000);
  assert.ok((got[0]?.CreateIndex ?? 0) > 0);
  const list = (await c.api.services.list()).data;
  assert.deepEqual(list, [{ Namespace: 'default', Services: [{ ServiceName: 'web', Tags: ['t1'] }] }]);
});

test('without the node secret, or with a wrong one, upserts and deletes are forbidden', async () => {
  await assert.rejects(c.api.internal.upsertServices([reg(allocA, a, 'anon')]), status(403));
  const wrong = new RoamApi({ address: c.address, token: 'not-a-secret' });
  await assert.rejects(wrong.internal.upsertServices([reg(allocA, a, 'anon')]), status(403));
  await assert.rejects(wrong.internal.deleteServices(['x']), status(403));
  assert.equal((await c.api.services.info('anon')).data.length, 0);
});

test('a client cannot register for another node or another node\'s allocation', async () => {
  await assert.rejects(b.api.internal.upsertServices([reg(allocA, a, 'steal')]), status(403));
  await assert.rejects(b.api.internal.upsertServices([reg(allocA, b, 'steal')]), status(403));
  // The whole batch is refused: the valid registration in it is not written either.
  await assert.rejects(b.api.internal.upsertServices([reg(allocB, b, 'steal'), reg(allocA, b, 'steal')]), status(403));
  assert.equal((await c.api.services.info('steal')).data.length, 0);
});

test('registrations for unknown allocations are skipped; bad bodies are 400', async () => {
  await a.api.internal.upsertServices([{ ...reg(allocA, a, 'ghost'), AllocID: '00000000-0000-0000-0000-000000000000' }]);
  assert.equal((await c.api.services.info('ghost')).data.length, 0);
  await assert.rejects(a.api.http.put('/v1/internal/services', { Services: 'nope' }), status(400));
  await assert.rejects(a.api.http.put('/v1/internal/services', { Services: [{ ID: 'x' }] }), status(400));
});

test('a client deletes only its own node\'s registrations by ID', async () => {
  await b.api.internal.upsertServices([reg(allocB, b, 'web', 26000)]);
  assert.equal((await c.api.services.info('web')).data.length, 2);
  const idA = reg(allocA, a, 'web').ID;
  await b.api.internal.deleteServices([idA]);
  assert.equal((await c.api.services.info('web')).data.length, 2, 'node b cannot delete node a\'s registration');
  await a.api.internal.deleteServices([idA]);
  assert.deepEqual((await c.api.services.info('web')).data.map((s) => s.NodeID), [b.node.ID]);
});

test('an operator deletes a registration by name and ID; unknown ones are 404', async () => {
  const id = reg(allocB, b, 'web').ID;
  await assert.rejects(c.api.services.delete('other', id), status(404));
  await c.api.services.delete('web', id);
  assert.equal((await c.api.services.info('web')).data.length, 0);
  await assert.rejects(c.api.services.delete('web', id), status(404));
});

test('GET /v1/service/:name?choose=N|key answers a stable rendezvous subset; a malformed choose is 400', async () => {
  await a.api.internal.upsertServices([reg(allocA, a, 'chosen', 26000)]);
  await b.api.internal.upsertServices([reg(allocB, b, 'chosen', 26001)]);
  const pick = async (choose: string): Promise<string[]> => (await c.api.services.info('chosen', { params: { choose } })).data.map((r) => r.AllocID);
  assert.equal((await pick('2|k')).length, 2);
  const one = await pick('1|requester');
  assert.equal(one.length, 1);
  assert.deepEqual(await pick('1|requester'), one, 'the same key chooses the same registration');
  assert.deepEqual((await pick('2|requester'))[0], one[0], 'the first choice leads the longer list');
  await assert.rejects(pick('two|k'), (e: unknown) => e instanceof ApiError && e.status === 400 && /Parameter for choose must be in form '<number>\|<key>'/.test(e.message));
  await a.api.internal.deleteServices([reg(allocA, a, 'chosen').ID]);
  await b.api.internal.deleteServices([reg(allocB, b, 'chosen').ID]);
});

test('a client-terminal allocation\'s registrations are dropped and not re-added', async () => {
  await a.api.internal.upsertServices([reg(allocA, a, 'dying')]);
  assert.equal((await c.api.services.info('dying')).data.length, 1);
  await a.api.internal.updateAllocations(a.node.ID, [{ ID: allocA.ID, ClientStatus: 'complete' }]);
  assert.equal((await c.api.services.info('dying')).data.length, 0);
  await a.api.internal.upsertServices([reg(allocA, a, 'dying')]);
  assert.equal((await c.api.services.info('dying')).data.length, 0);
});

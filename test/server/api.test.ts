// The /v1 API through the typed client: shapes, status codes, blocking queries, pagination,
// filters, bad input, and the event stream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/index.js';
import { mockJob, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import type { Job } from '../../src/structs/job.js';
import { addNode, startServer, waitFor, type SimNode, type TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
let node: SimNode;

before(async () => {
  c = await startServer({ server: { maxRequestBytes: 64 * 1024 } });
  node = await addNode(c);
});
after(async () => {
  node?.stopHeartbeats();
  await c?.close();
});

const job = (id: string, over: Partial<Job> = {}): Job => mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: 1, Tasks: [mockTask({ Resources: mockResources({ CPU: 50, MemoryMB: 32 }) })] })], ...over });

test('job register returns Nomad\'s response shape and X-Nomad-Index', async () => {
  const r = await c.api.jobs.register(job('shape'));
  assert.deepEqual(Object.keys(r.data).sort(), ['EvalCreateIndex', 'EvalID', 'Index', 'JobModifyIndex', 'KnownLeader', 'LastContact', 'Warnings']);
  assert.equal(r.meta.lastIndex, r.data.Index);
  assert.ok(r.meta.knownLeader);
});

test('a blocking query on /v1/jobs wakes up when a job is registered', async () => {
  const first = await c.api.jobs.list();
  const started = Date.now();
  const pending = c.api.jobs.list({ index: first.meta.lastIndex, wait: '10s' });
  await new Promise((r) => setTimeout(r, 200));
  await c.api.jobs.register(job('wakeup'));
  const woke = await pending;
  assert.ok(woke.meta.lastIndex > first.meta.lastIndex);
  assert.ok(woke.data.some((j) => j.ID === 'wakeup'));
  assert.ok(Date.now() - started < 5_000);
});

test('a blocking query that sees no change returns after its wait with the same index', async () => {
  const n = await c.api.nodes.info(node.node.ID);
  const started = Date.now();
  const again = await c.api.nodes.info(node.node.ID, { index: n.meta.lastIndex + 1_000_000, wait: '300ms' });
  const took = Date.now() - started;
  assert.ok(took >= 250 && took < 3_000, `took ${took} ms`);
  assert.equal(again.data.ID, node.node.ID);
});

test('list endpoints paginate with per_page and X-Nomad-NextToken, and filter with go-bexpr', async () => {
  for (const id of ['page-1', 'page-2', 'page-3']) await c.api.jobs.register(job(id));
  const p1 = await c.api.jobs.list({ prefix: 'page-', perPage: 2 });
  assert.deepEqual(p1.data.map((j) => j.ID), ['page-1', 'page-2']);
  assert.equal(p1.meta.nextToken, 'page-3');
  const p2 = await c.api.jobs.list({ prefix: 'page-', perPage: 2, nextToken: p1.meta.nextToken });
  assert.deepEqual(p2.data.map((j) => j.ID), ['page-3']);
  assert.equal(p2.meta.nextToken, '');
  const filtered = await c.api.jobs.list({ filter: 'ID matches "^page-[12]$"' });
  assert.deepEqual(filtered.data.map((j) => j.ID), ['page-1', 'page-2']);
  await assert.rejects(c.api.jobs.list({ filter: 'ID ==' }), (e: unknown) => e instanceof ApiError && e.status === 400);
});

test('namespaces: "*" lists every namespace; the default namespace exists', async () => {
  const all = await c.api.jobs.list({ namespace: '*' });
  assert.ok(all.data.length >= 1);
  const ns = await c.api.http.get<{ Name: string }[]>('/v1/namespaces');
  assert.deepEqual(ns.data.map((n) => n.Name), ['default']);
});

test('unknown IDs answer 404 with a plain-text reason', async () => {
  for (const p of ['/v1/job/nope', '/v1/evaluation/00000000-0000-0000-0000-000000000000', '/v1/allocation/00000000-0000-0000-0000-000000000000', '/v1/node/00000000-0000-0000-0000-000000000000']) {
    await assert.rejects(c.api.http.get(p), (e: unknown) => e instanceof ApiError && e.status === 404 && /not found/.test(e.body));
  }
});

test('malformed JSON, a missing job and an oversized body are client errors', async () => {
  const raw = await fetch(`${c.address}/v1/jobs`, { method: 'PUT', body: '{"Job": {', headers: { 'Content-Type': 'application/json' } });
  assert.equal(raw.status, 400);
  assert.match(await raw.text(), /Failed to decode request body/);
  await assert.rejects(c.api.http.put('/v1/jobs', {}), (e: unknown) => e instanceof ApiError && e.status === 400 && /Job must be specified/.test(e.body));
  const big = await fetch(`${c.address}/v1/jobs`, { method: 'PUT', body: JSON.stringify({ Job: { ID: 'x', Meta: { pad: 'x'.repeat(100 * 1024) } } }) });
  assert.equal(big.status, 413);
});

test('job IDs with a slash are reachable through an escaped path', async () => {
  await c.api.jobs.register(job('parent/periodic-1700000000'));
  const j = await c.api.jobs.info('parent/periodic-1700000000');
  assert.equal(j.data.ID, 'parent/periodic-1700000000');
  const s = await c.api.jobs.summary('parent/periodic-1700000000');
  assert.equal(s.data.JobID, 'parent/periodic-1700000000');
});

test('search finds jobs, nodes and evaluations by prefix', async () => {
  const r = await c.api.system.search('shap');
  assert.deepEqual(r.data.Matches['jobs'], ['shape']);
  const n = await c.api.system.search(node.node.ID.slice(0, 6), 'nodes');
  assert.deepEqual(n.data.Matches['nodes'], [node.node.ID]);
  await assert.rejects(c.api.system.search('x', 'bogus'), (e: unknown) => e instanceof ApiError && e.status === 400);
});

test('the event stream sends job and evaluation events as NDJSON, filtered by topic', async () => {
  const ctrl = new AbortController();
  const res = await fetch(`${c.address}/v1/event/stream?topic=Job:streamed&topic=Evaluation`, { signal: ctrl.signal });
  assert.equal(res.status, 200);
  const reader = res.body?.getReader();
  assert.ok(reader);
  await c.api.jobs.register(job('streamed'));
  const seen: { Topic: string; Type: string; Key: string }[] = [];
  let buf = '';
  await waitFor('job and eval events', async () => {
    const { value } = await reader.read();
    buf += new TextDecoder().decode(value);
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines.filter((x) => x.trim() && x !== '{}')) seen.push(...(JSON.parse(l) as { Events: { Topic: string; Type: string; Key: string }[] }).Events);
    return seen.some((e) => e.Topic === 'Job' && e.Key === 'streamed' && e.Type === 'JobRegistered') && seen.some((e) => e.Topic === 'Evaluation') ? true : undefined;
  });
  assert.ok(seen.every((e) => (e.Topic === 'Job' && e.Key === 'streamed') || e.Topic === 'Evaluation'));
  ctrl.abort();
});

test('node eligibility: ineligible nodes get no new work', async () => {
  await c.api.nodes.eligibility(node.node.ID, false);
  assert.equal((await c.api.nodes.info(node.node.ID)).data.SchedulingEligibility, 'ineligible');
  const r = (await c.api.jobs.register(job('nowhere'))).data;
  const ev = await waitFor('eval to finish', async () => {
    const e = (await c.api.evaluations.info(r.EvalID)).data;
    return e.Status === 'complete' ? e : undefined;
  });
  assert.ok(ev.FailedTGAllocs);
  await c.api.nodes.eligibility(node.node.ID, true);
  await waitFor('placement after the node became eligible', async () => ((await c.api.jobs.allocations('nowhere')).data.length === 1 ? true : undefined));
});

test('unknown request fields are rejected; unknown job fields are ignored with a warning naming them', async () => {
  await assert.rejects(c.api.http.put('/v1/jobs', { Job: job('typo'), EnforceIndx: true }), (e: unknown) => e instanceof ApiError && e.status === 400 && /unknown field "EnforceIndx" in the request; did you mean "EnforceIndex"\?/.test(e.body));
  const r = await c.api.jobs.register({ ...job('lenient'), Priorty: 70 });
  assert.match(r.data.Warnings, /Job: unknown field "Priorty" was ignored; did you mean "Priority"\?/);
  assert.equal((await c.api.jobs.info('lenient')).data.Priority, 50);
});

test('dispatch/payload takes the raw request body as the payload, bytes intact', async () => {
  const { mockBatchJob } = await import('../../src/structs/mock.js');
  await c.api.jobs.register(mockBatchJob({ ID: 'render', Name: 'render', Datacenters: ['*'], ParameterizedJob: { Payload: 'required', MetaRequired: ['budget'], MetaOptional: null } }));
  const bytes = Buffer.from([0, 1, 2, 250, 251, 255, 10, 13]);
  const res = await fetch(`${c.address}/v1/job/render/dispatch/payload?meta=budget%3D200`, { method: 'POST', body: bytes });
  assert.equal(res.status, 200, await res.clone().text());
  const out = (await res.json()) as { DispatchedJobID: string };
  const child = (await c.api.jobs.info(out.DispatchedJobID)).data;
  assert.equal(child.Payload, bytes.toString('base64'));
  assert.equal(child.Meta?.['budget'], '200');
  const bad = await fetch(`${c.address}/v1/jobs`, { method: 'PUT', body: 'not json' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Failed to decode request body/);
});

test('/v1/allocations leaves task states out with task_states=false, and resources in with resources=true', async () => {
  await c.api.jobs.register(job('stated'));
  const a = await waitFor('an allocation', async () => (await c.api.jobs.allocations('stated')).data[0]);
  const state = { State: 'running' as const, Failed: false, Restarts: 0, LastRestart: '0001-01-01T00:00:00Z', StartedAt: '2026-11-26T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z', Events: [] };
  await node.api.internal.updateAllocations(node.node.ID, [{ ID: a.ID, ClientStatus: 'running', TaskStates: { web: state } }]);
  const get = async (q: string): Promise<{ ID: string; TaskStates: unknown; AllocatedResources: unknown }> => {
    const res = await fetch(`${c.address}/v1/allocations?prefix=${a.ID}${q}`);
    const list = (await res.json()) as { ID: string; TaskStates: unknown; AllocatedResources: unknown }[];
    const found = list.find((x) => x.ID === a.ID);
    assert.ok(found);
    return found;
  };
  const plain = await waitFor('task states reported', async () => {
    const s = await get('');
    return s.TaskStates ? s : undefined;
  });
  assert.equal((plain.TaskStates as Record<string, { State: string }>)['web']?.State, 'running');
  assert.equal(plain.AllocatedResources, null);
  assert.equal((await get('&task_states=false')).TaskStates, null);
  assert.ok((await get('&resources=true')).AllocatedResources);
});

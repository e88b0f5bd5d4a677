// Nomad Variables through the HTTP API of an in-process server: put/get/list/delete, check-and-set
// (cas=0 = create only; a stale index answers 409 with the current variable), path and size
// validation, and encryption at rest (the stored row holds ciphertext, not the items).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, VariableConflictError } from '../../src/api/index.js';
import { ROOT_KEY_META, type StoredRootKey } from '../../src/server/keyring.js';
import type { Server } from '../../src/server/server.js';
import { ApiTemplateDataSource } from '../../src/client/taskrunner/hooks/template-data.js';
import { startServer, type TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
let server: Server;

before(async () => {
  c = await startServer();
  const s = c.agent.server;
  assert.ok(s);
  server = s;
});
after(async () => {
  await c?.close();
});

const status = (code: number, text?: RegExp) => (e: unknown) => e instanceof ApiError && e.status === code && (!text || text.test(e.body));

test('put, get, list and delete a variable', async () => {
  const put = await c.api.variables.put('app/db', { user: 'admin', password: 's3cret' });
  assert.equal(put.data.Path, 'app/db');
  assert.equal(put.data.Namespace, 'default');
  assert.deepEqual(put.data.Items, { user: 'admin', password: 's3cret' });
  assert.ok(put.data.ModifyIndex > 0);
  assert.equal(put.data.CreateIndex, put.data.ModifyIndex);
  assert.ok(put.data.CreateTime > 1e18, 'CreateTime is in nanoseconds');
  assert.ok(put.meta.lastIndex >= put.data.ModifyIndex);

  const got = await c.api.variables.read('app/db');
  assert.deepEqual(got.data.Items, { user: 'admin', password: 's3cret' });
  assert.equal(got.data.ModifyIndex, put.data.ModifyIndex);
  assert.ok(got.meta.lastIndex > 0);

  await c.api.variables.put('app/cache', { url: 'redis://x' });
  await c.api.variables.put('other', { a: 'b' });
  const list = (await c.api.variables.list({ prefix: 'app/' })).data;
  assert.deepEqual(list.map((v) => v.Path), ['app/cache', 'app/db']);
  assert.equal((list[0] as unknown as Record<string, unknown>)['Items'], undefined, 'lists carry metadata only');
  const all = (await c.api.variables.list({ namespace: '*' })).data;
  assert.ok(all.some((v) => v.Path === 'other'));
  const filtered = (await c.api.variables.list({ filter: 'Path contains "cache"' })).data;
  assert.deepEqual(filtered.map((v) => v.Path), ['app/cache']);
  const page = await c.api.variables.list({ prefix: 'app/', perPage: 1 });
  assert.equal(page.data.length, 1);
  assert.notEqual(page.meta.nextToken, '');

  // Items replace: an update is not a merge.
  const upd = await c.api.variables.put('app/db', { password: 'new' });
  assert.deepEqual(upd.data.Items, { password: 'new' });
  assert.equal(upd.data.CreateIndex, put.data.CreateIndex);
  assert.equal(upd.data.CreateTime, put.data.CreateTime);
  assert.ok(upd.data.ModifyIndex > put.data.ModifyIndex);

  await c.api.variables.delete('app/db');
  await assert.rejects(c.api.variables.read('app/db'), status(404));
  assert.equal((await c.api.variables.peek('app/db')).data, null);
  // Deleting a missing variable is a no-op, as in Nomad.
  await c.api.variables.delete('app/db');
});

test('check-and-set: cas=0 creates only; a stale index is a 409 with the current variable', async () => {
  const first = await c.api.variables.put('cas/x', { v: '1' }, { cas: 0 });
  await assert.rejects(c.api.variables.put('cas/x', { v: '2' }, { cas: 0 }), (e: unknown) => {
    assert.ok(e instanceof VariableConflictError);
    assert.equal(e.current.ModifyIndex, first.data.ModifyIndex);
    assert.deepEqual((e.current as { Items?: unknown }).Items, { v: '1' });
    return true;
  });
  // The raw HTTP answer is 409 with the variable in the body.
  await assert.rejects(c.api.http.put('/v1/var/cas/x', { Items: { v: '3' } }, { params: { cas: first.data.ModifyIndex + 1000 } }), (e: unknown) => {
    assert.ok(e instanceof ApiError && e.status === 409);
    assert.equal((JSON.parse(e.body) as { Path: string }).Path, 'cas/x');
    return true;
  });
  const second = await c.api.variables.put('cas/x', { v: '2' }, { cas: first.data.ModifyIndex });
  assert.deepEqual(second.data.Items, { v: '2' });
  // Deletes check too.
  await assert.rejects(c.api.variables.delete('cas/x', { cas: first.data.ModifyIndex }), (e: unknown) => e instanceof VariableConflictError && e.current.ModifyIndex === second.data.ModifyIndex);
  // A cas write to a missing variable conflicts with an empty one.
  await assert.rejects(c.api.variables.put('cas/missing', { v: '1' }, { cas: 5 }), (e: unknown) => e instanceof VariableConflictError && e.current.ModifyIndex === 0);
  await c.api.variables.delete('cas/x', { cas: second.data.ModifyIndex });
  await assert.rejects(c.api.variables.read('cas/x'), status(404));
});

test('paths and sizes are validated with clear 400s', async () => {
  await assert.rejects(c.api.variables.put('bad path!', { a: 'b' }), status(400, /invalid path/));
  await assert.rejects(c.api.variables.put('x'.repeat(129), { a: 'b' }), status(400, /invalid path/));
  await assert.rejects(c.api.variables.put('nomad', { a: 'b' }), status(400, /reserved top-level/));
  await assert.rejects(c.api.variables.put('nomad/other', { a: 'b' }), status(400, /only paths at "nomad\/jobs"/));
  await c.api.variables.put('nomad/jobs/app', { a: 'b' });
  await c.api.variables.put('nomad/jobs', { a: 'b' });
  await assert.rejects(c.api.variables.put('empty', {}), status(400, /empty variables/));
  await assert.rejects(c.api.http.put('/v1/var/num', { Items: { a: 1 } }), status(400, /must be a string/));
  // 64 KiB of keys plus values is the limit.
  await c.api.variables.put('big/ok', { k: 'x'.repeat(64 * 1024 - 1) });
  await assert.rejects(c.api.variables.put('big/too', { k: 'x'.repeat(64 * 1024) }), status(400, /limited to 65536 bytes/));
});

test('variables are stored encrypted with the keyring root key', async () => {
  await c.api.variables.put('secret/plain', { token: 'very-plain-text-value' });
  const snap = server.store.snapshot();
  const stored = snap.variable('default', 'secret/plain');
  assert.ok(stored);
  assert.ok(!stored.Data.includes('very-plain-text-value'));
  assert.ok(!Buffer.from(stored.Data, 'base64').toString('latin1').includes('very-plain-text-value'));
  assert.ok(!JSON.stringify(stored).includes('token'));
  const key = snap.meta<StoredRootKey>(ROOT_KEY_META);
  assert.ok(key);
  assert.equal(stored.KeyID, key.KeyID);
  assert.equal(Buffer.from(key.Key, 'base64').length, 32);
  // Two writes of the same items give different ciphertexts (random nonce).
  await c.api.variables.put('secret/plain', { token: 'very-plain-text-value' });
  assert.notEqual(server.store.snapshot().variable('default', 'secret/plain')?.Data, stored.Data);
});

test('a blocking read wakes on a write', async () => {
  const first = await c.api.variables.put('block/x', { v: '1' });
  const waiting = c.api.variables.read('block/x', { index: first.meta.lastIndex, wait: '5s' });
  await c.api.variables.put('block/x', { v: '2' });
  assert.deepEqual((await waiting).data.Items, { v: '2' });
});

test('the template data source reads variables through the API; a missing one is null and asked for again', async () => {
  const src = new ApiTemplateDataSource(() => c.api);
  const scope = { namespace: 'default', region: '' };
  assert.equal(src.provider.variable('tmpl/x', scope), undefined);
  assert.equal(src.provider.variableList('tmpl/', scope), undefined);
  await src.refresh();
  assert.equal(src.provider.variable('tmpl/x', scope), null);
  assert.deepEqual(src.provider.variableList('tmpl/', scope), []);
  await c.api.variables.put('tmpl/x', { a: 'b' });
  await src.refresh();
  assert.deepEqual(src.provider.variable('tmpl/x', scope)?.Items, { a: 'b' });
  assert.deepEqual(src.provider.variableList('tmpl/', scope)?.map((v) => v.Path), ['tmpl/x']);
});

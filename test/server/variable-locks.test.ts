// Variable locks (Nomad 1.7+). On a server with a fake clock: Nomad's defaults and TTL bounds, a
// lock that is not renewed expires after twice its TTL, then blocks everyone for its lock-delay
// before the server releases it (items kept); renewals keep it; a release frees it at once; the
// lock and its timer survive a restart. Through the HTTP API of an in-process agent: the
// `?lock-acquire|lock-renew|lock-release` routes, Nomad's 409 shapes and messages, and writes and
// deletes blocked without the lock ID.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, VariableConflictError } from '../../src/api/index.js';
import { defaultServerConfig } from '../../src/server/context.js';
import { ServerError } from '../../src/server/errors.js';
import { Server } from '../../src/server/server.js';
import { openMemoryKv } from '../../src/state/backends/memory.js';
import type { KV } from '../../src/state/kv.js';
import { nullLogger } from '../../src/structs/logger.js';
import type { Variable, VariableMetadata } from '../../src/structs/variable.js';
import { startServer, type TestCluster } from '../helpers/cluster.js';
import { FakeClock } from '../helpers/fake-clock.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('variable locks on a fake clock', () => {
  let servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers) await s.stop();
    servers = [];
  });

  async function boot(clock: FakeClock, kv: KV = openMemoryKv()): Promise<Server> {
    const server = new Server(kv, nullLogger, { ...defaultServerConfig(), numSchedulers: 1 }, clock);
    await server.start();
    servers.push(server);
    return server;
  }

  const variableOf = (s: Server, path: string): Variable | undefined => s.variables.read(s.store.snapshot(), 'default', path);
  async function acquire(s: Server, path: string, lock: Record<string, unknown> = {}, items?: Record<string, string>): Promise<Variable> {
    const r = await s.variables.acquireLock({ Path: path, Lock: lock, ...(items ? { Items: items } : {}) });
    assert.ok(r.ok, JSON.stringify(r));
    return r.variable as Variable;
  }
  const renew = (s: Server, path: string, id: string): VariableMetadata => s.variables.renewLock(s.store.snapshot(), 'default', path, id).metadata;
  const rejectsWith = (status: number, message: string) => (e: unknown) => e instanceof ServerError && e.statusCode === status && e.message === message;

  test("a lock gets a fresh ID and Nomad's defaults; TTLs outside [10s, 24h] are refused", async () => {
    const s = await boot(new FakeClock(T0));
    const v = await acquire(s, 'locks/defaults');
    assert.match(v.Lock?.ID ?? '', UUID_RE);
    assert.equal(v.Lock?.TTL, '15s');
    assert.equal(v.Lock?.LockDelay, '15s');
    assert.deepEqual(v.Items, {}, 'a variable created only to hold a lock has no items');
    assert.deepEqual(variableOf(s, 'locks/defaults')?.Lock, v.Lock);
    const custom = await acquire(s, 'locks/custom', { TTL: '1m', LockDelay: 2_000_000_000 });
    assert.deepEqual([custom.Lock?.TTL, custom.Lock?.LockDelay], ['1m0s', '2s']);

    const ttlError = '1 error occurred:\n\t* TTL must be between 10 seconds and 24 hours\n\n';
    await assert.rejects(s.variables.acquireLock({ Path: 'locks/short', Lock: { TTL: '1s' } }), rejectsWith(400, ttlError));
    await assert.rejects(s.variables.acquireLock({ Path: 'locks/long', Lock: { TTL: '25h' } }), rejectsWith(400, ttlError));
    await assert.rejects(s.variables.acquireLock({ Path: 'locks/neg', Lock: { TTL: '-20s' } }), rejectsWith(400, '2 errors occurred:\n\t* Lock delay and TTL must be positive\n\t* TTL must be between 10 seconds and 24 hours\n\n'));
    await assert.rejects(s.variables.acquireLock({ Path: 'locks/bad', Lock: { TTL: 'soon' } }), (e: unknown) => e instanceof ServerError && e.statusCode === 400 && /Lock\.TTL: invalid duration "soon"/.test(e.message));
    assert.equal(variableOf(s, 'locks/short'), undefined);
  });

  test('an unrenewed lock expires after twice its TTL, blocks everyone for its delay, then is released with its items kept', async () => {
    const clock = new FakeClock(T0);
    const s = await boot(clock);
    const held = await acquire(s, 'locks/ttl', { TTL: '10s', LockDelay: '5s' }, { owner: 'a' });
    const id = held.Lock?.ID ?? '';

    // Renewals keep it well past its TTL.
    for (let i = 0; i < 4; i++) {
      await clock.advance(9_000);
      assert.equal(renew(s, 'locks/ttl', id).Lock?.ID, id);
    }
    // Without renewals: still held at 19 s (the server grants twice the TTL)…
    await clock.advance(19_000);
    assert.equal(variableOf(s, 'locks/ttl')?.Lock?.ID, id);
    // …expired at 20 s: now in its lock-delay, the lock stays on the variable and nobody gets it.
    await clock.advance(1_000);
    assert.equal(variableOf(s, 'locks/ttl')?.Lock?.ID, id);
    assert.throws(() => renew(s, 'locks/ttl', id), rejectsWith(409, 'attempting to modify locked variable'));
    const other = await s.variables.acquireLock({ Path: 'locks/ttl', Lock: {} });
    assert.equal(other.ok, false);
    await clock.advance(4_900);
    assert.equal(variableOf(s, 'locks/ttl')?.Lock?.ID, id);
    // After the delay the server releases it; the items stay.
    await clock.advance(100);
    const released = variableOf(s, 'locks/ttl');
    assert.equal(released?.Lock, undefined);
    assert.deepEqual(released?.Items, { owner: 'a' });
    assert.ok((released?.ModifyIndex ?? 0) > held.ModifyIndex);
    assert.equal(s.variables.locks.size, 0);
    assert.throws(() => renew(s, 'locks/ttl', id), rejectsWith(409, "variable doesn't hold a lock"));
    const next = await acquire(s, 'locks/ttl');
    assert.notEqual(next.Lock?.ID, id);
  });

  test('a released lock can be taken at once; only its holder may release it', async () => {
    const clock = new FakeClock(T0);
    const s = await boot(clock);
    const id = (await acquire(s, 'locks/rel', { TTL: '10s' }, { k: 'v' })).Lock?.ID ?? '';
    const wrong = await s.variables.releaseLock({ Path: 'locks/rel', Lock: { ID: 'not-the-holder' } });
    assert.deepEqual(wrong, { ok: false, index: wrong.index, conflict: { Namespace: 'default', Path: 'locks/rel', Lock: { TTL: '', LockDelay: '', ID: '' }, CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 } });
    await assert.rejects(s.variables.releaseLock({ Path: 'locks/rel', Lock: {} }), rejectsWith(400, 'missing lock information'));
    await assert.rejects(s.variables.releaseLock({ Path: 'locks/rel', Lock: { ID: id }, Items: { a: 'b' } }), rejectsWith(400, "lock release operation doesn't take variable items"));
    const r = await s.variables.releaseLock({ Path: 'locks/rel', Lock: { ID: id } });
    assert.ok(r.ok);
    assert.equal((r.variable as VariableMetadata).Lock, undefined);
    assert.equal((r.variable as Partial<Variable>).Items, undefined, 'a release answers metadata only');
    assert.deepEqual(variableOf(s, 'locks/rel')?.Items, { k: 'v' });
    assert.equal(s.variables.locks.size, 0);
    await assert.rejects(s.variables.releaseLock({ Path: 'locks/rel', Lock: { ID: id } }), rejectsWith(409, "variable doesn't hold a lock"));
    await assert.rejects(s.variables.releaseLock({ Path: 'locks/none', Lock: { ID: id } }), rejectsWith(404, "variable doesn't exist"));
    const next = (await acquire(s, 'locks/rel')).Lock?.ID;
    // The new holder's lock runs on its own timer (twice 15 s).
    await clock.advance(29_000);
    assert.equal(variableOf(s, 'locks/rel')?.Lock?.ID, next);
  });

  test('the holder may acquire again (same ID), which restarts its TTL', async () => {
    const clock = new FakeClock(T0);
    const s = await boot(clock);
    const id = (await acquire(s, 'locks/again', { TTL: '10s', LockDelay: '1s' })).Lock?.ID ?? '';
    await clock.advance(15_000);
    const again = await acquire(s, 'locks/again', { ID: id, TTL: '10s', LockDelay: '1s' }, { v: '2' });
    assert.equal(again.Lock?.ID, id);
    await clock.advance(15_000);
    assert.equal(variableOf(s, 'locks/again')?.Lock?.ID, id, 'the TTL started over at the second acquire');
    await clock.advance(6_000);
    assert.equal(variableOf(s, 'locks/again')?.Lock, undefined);
  });

  test('a locked variable is written only with its lock ID, keeps its lock, and cannot be deleted', async () => {
    const s = await boot(new FakeClock(T0));
    await s.variables.put({ Path: 'locks/guard', Items: { a: '1' } });
    const held = await acquire(s, 'locks/guard', { TTL: '10s' }, { a: '2' });
    const id = held.Lock?.ID ?? '';
    const empty = { Namespace: 'default', Path: 'locks/guard', CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 };
    const blocked = await s.variables.put({ Path: 'locks/guard', Items: { a: '3' } });
    assert.equal(blocked.ok, false);
    assert.deepEqual(!blocked.ok && blocked.conflict, empty);
    const wrongID = await s.variables.put({ Path: 'locks/guard', Items: { a: '3' }, Lock: { ID: 'someone-else' } });
    assert.equal(wrongID.ok, false);
    // A stale check-and-set index is reported as such (the current variable, lock included).
    const stale = await s.variables.put({ Path: 'locks/guard', Items: { a: '3' }, Lock: { ID: id } }, 1);
    assert.ok(!stale.ok && stale.conflict.ModifyIndex === held.ModifyIndex && stale.conflict.Lock?.ID === id);
    await assert.rejects(s.variables.put({ Path: 'locks/guard', Items: { a: '3' }, Lock: { ID: id, TTL: '20s' } }), rejectsWith(400, 'variable should not contain lock definition'));
    const ok = await s.variables.put({ Path: 'locks/guard', Items: { a: '3' }, Lock: { ID: id } }, held.ModifyIndex);
    assert.ok(ok.ok);
    assert.deepEqual(ok.variable?.Lock, held.Lock, 'the lock (ID, TTL, delay) is kept by the write');
    assert.deepEqual(variableOf(s, 'locks/guard')?.Items, { a: '3' });

    const del = await s.variables.delete('default', 'locks/guard');
    assert.deepEqual(del.ok ? undefined : del.conflict, empty);
    await s.variables.releaseLock({ Path: 'locks/guard', Lock: { ID: id } });
    assert.ok((await s.variables.delete('default', 'locks/guard')).ok);
    assert.equal(variableOf(s, 'locks/guard'), undefined);
  });

  test('a lock survives a restart: its timer is restored (renewable, then it expires)', async () => {
    const kv = openMemoryKv();
    const first = await boot(new FakeClock(T0), kv);
    const id = (await acquire(first, 'locks/restart', { TTL: '10s', LockDelay: '2s' }, { k: 'v' })).Lock?.ID ?? '';
    await first.stop();
    servers = servers.filter((x) => x !== first);

    const clock = new FakeClock(T0 + 5_000);
    const second = await boot(clock, kv);
    assert.equal(variableOf(second, 'locks/restart')?.Lock?.ID, id);
    assert.equal(second.variables.locks.size, 1);
    await clock.advance(15_000);
    assert.equal(renew(second, 'locks/restart', id).Lock?.ID, id, 'the restored timer accepts renewals');
    await clock.advance(20_000 + 2_000);
    assert.equal(variableOf(second, 'locks/restart')?.Lock, undefined);
    assert.deepEqual(variableOf(second, 'locks/restart')?.Items, { k: 'v' });
  });
});

describe('variable locks over HTTP', () => {
  let c: TestCluster;
  before(async () => {
    c = await startServer();
  });
  after(async () => {
    await c?.close();
  });

  const raw = (path: string, query: string, body: unknown): Promise<Response> =>
    fetch(`${c.address}/v1/var/${path}?${query}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

  test('acquire, read, renew and release through the API client', async () => {
    const acquired = await c.api.variables.acquireLock('http/lock', { items: { k: 'v' }, ttl: '10s', lockDelay: '1s' });
    const id = acquired.data.Lock?.ID ?? '';
    assert.match(id, UUID_RE);
    assert.deepEqual(acquired.data.Items, { k: 'v' });
    assert.ok(acquired.meta.lastIndex >= acquired.data.ModifyIndex);

    const got = (await c.api.variables.read('http/lock')).data;
    assert.deepEqual(got.Lock, { TTL: '10s', LockDelay: '1s', ID: id });
    const listed = (await c.api.variables.list({ prefix: 'http/lock' })).data;
    assert.equal(listed[0]?.Lock?.ID, id);

    const renewed = await c.api.variables.renewLock('http/lock', id);
    assert.equal(renewed.data.Lock?.ID, id);
    assert.equal(renewed.data.ModifyIndex, acquired.data.ModifyIndex, 'a renewal writes nothing');
    assert.equal((renewed.data as Partial<Variable>).Items, undefined);

    await assert.rejects(c.api.variables.acquireLock('http/lock'), (e: unknown) => e instanceof VariableConflictError && e.current.ModifyIndex === 0);
    await assert.rejects(c.api.variables.renewLock('http/lock', 'other'), (e: unknown) => e instanceof ApiError && e.status === 409 && e.body === 'attempting to modify locked variable');
    await assert.rejects(c.api.variables.renewLock('http/none', id), (e: unknown) => e instanceof ApiError && e.status === 404 && e.body === "variable doesn't exist");
    await assert.rejects(c.api.variables.releaseLock('http/lock', 'other'), (e: unknown) => e instanceof VariableConflictError && e.current.Lock?.ID === '');

    const released = await c.api.variables.releaseLock('http/lock', id);
    assert.equal(released.data.Lock, undefined);
    assert.equal((await c.api.variables.read('http/lock')).data.Lock, undefined);
    await c.api.variables.delete('http/lock');
  });

  test("writes and deletes of a locked variable answer 409 with Nomad's empty variable", async () => {
    const id = (await c.api.variables.acquireLock('http/guard', { items: { a: '1' } })).data.Lock?.ID ?? '';
    const put = await raw('http/guard', '', { Items: { a: '2' } });
    assert.equal(put.status, 409);
    assert.deepEqual(await put.json(), { Namespace: 'default', Path: 'http/guard', CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 });
    const del = await fetch(`${c.address}/v1/var/http/guard`, { method: 'DELETE' });
    assert.equal(del.status, 409);
    const withID = await c.api.variables.put('http/guard', { a: '2' }, { lockID: id });
    assert.deepEqual(withID.data.Items, { a: '2' });
    assert.equal(withID.data.Lock?.ID, id);
    await c.api.variables.releaseLock('http/guard', id);
    await c.api.variables.delete('http/guard');
  });

  test('query parameter errors are 400s with Nomad\'s messages', async () => {
    const multi = await raw('http/q', 'lock-acquire&lock-release', { Lock: {} });
    assert.equal(multi.status, 400);
    assert.equal(await multi.text(), 'multiple lock operations');
    const cas = await raw('http/q', 'lock-acquire&cas=1', { Lock: {} });
    assert.equal(cas.status, 400);
    assert.equal(await cas.text(), "CAS can't be used with lock operations");
    const short = await raw('http/q', 'lock-acquire', { Lock: { TTL: '1s' } });
    assert.equal(short.status, 400);
    assert.match(await short.text(), /TTL must be between 10 seconds and 24 hours/);
    const renewNoID = await raw('http/q', 'lock-renew', {});
    assert.equal(renewNoID.status, 400);
    assert.equal(await renewNoID.text(), '1 error occurred:\n\t* missing lock ID\n\n');
  });
});

// Conformance: revisions, reads, deletes, compaction and request validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactedError, FutureRevisionError, InvalidRequestError, StoreClosedError, op } from '../kv.js';
import type { OpenKv } from './harness.js';
import { batchesThrough, iter, pairs, withStore } from './harness.js';

export function basicTests(open: OpenKv): void {
  void test('revisions start at 1, are shared across keys and only writes bump them', () =>
    withStore(open, async ({ kv }) => {
      assert.equal(await kv.currentRevision(), 0);
      assert.equal((await kv.put('/a', '1')).revision, 1);
      assert.equal((await kv.put('/b', '1')).revision, 2);
      assert.equal((await kv.put('/a', '2')).revision, 3);
      await kv.get('/a');
      await kv.range({ prefix: '' });
      assert.equal((await kv.delete('/missing')).revision, 3, 'deleting a missing key writes nothing');
      assert.equal((await kv.delete('/missing')).deleted, 0);
      assert.equal(await kv.currentRevision(), 3);
      assert.equal((await kv.range({ prefix: '' })).revision, 3);
    }));

  void test('createRevision, modRevision and version follow etcd, and a delete resets them', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/a', 'x');
      await kv.put('/b', 'y');
      await kv.put('/a', 'z');
      assert.deepEqual(await kv.get('/a'), { key: '/a', value: 'z', createRevision: 1, modRevision: 3, version: 2 });
      assert.deepEqual(await kv.get('/b'), { key: '/b', value: 'y', createRevision: 2, modRevision: 2, version: 1 });
      const del = await kv.delete('/a', { prevKv: true });
      assert.equal(del.revision, 4);
      assert.deepEqual(pairs(del.prevKvs ?? []), [['/a', 'z']]);
      assert.equal(await kv.get('/a'), undefined);
      await kv.put('/a', 'again');
      assert.deepEqual(await kv.get('/a'), { key: '/a', value: 'again', createRevision: 5, modRevision: 5, version: 1 });
      const put = await kv.put('/a', 'next', { prevKv: true });
      assert.equal(put.prevKv?.value, 'again');
      assert.equal((await kv.put('/new', 'v', { prevKv: true })).prevKv, undefined);
    }));

  void test('range by prefix, interval, limit/more, keysOnly and countOnly, in code point order', () =>
    withStore(open, async ({ kv }) => {
      for (const k of ['/jobs/b', '/jobs/a', '/jobs/c', '/jobsx', '/nodes/1', '/u/\u{1F600}', '/u/\uFFFD']) await kv.put(k, `v${k}`);
      const jobs = await kv.range({ prefix: '/jobs/' });
      assert.deepEqual(jobs.kvs.map((k) => k.key), ['/jobs/a', '/jobs/b', '/jobs/c']);
      assert.equal(jobs.count, 3);
      assert.equal(jobs.more, false);
      const limited = await kv.range({ prefix: '/jobs/' }, { limit: 2 });
      assert.deepEqual(limited.kvs.map((k) => k.key), ['/jobs/a', '/jobs/b']);
      assert.equal(limited.count, 3);
      assert.equal(limited.more, true);
      assert.equal((await kv.range({ prefix: '/jobs/' }, { limit: 3 })).more, false);
      assert.deepEqual((await kv.range({ start: '/jobs/b', end: '/nodes/1' })).kvs.map((k) => k.key), ['/jobs/b', '/jobs/c', '/jobsx']);
      assert.deepEqual((await kv.range({ start: '/nodes/' })).kvs.map((k) => k.key), ['/nodes/1', '/u/\uFFFD', '/u/\u{1F600}']);
      assert.equal((await kv.range({ prefix: '' })).count, 7);
      assert.deepEqual((await kv.range({ key: '/jobs/a' })).kvs.map((k) => k.key), ['/jobs/a']);
      const keysOnly = await kv.range({ prefix: '/jobs/' }, { keysOnly: true });
      assert.deepEqual(pairs(keysOnly.kvs), [['/jobs/a', ''], ['/jobs/b', ''], ['/jobs/c', '']]);
      const countOnly = await kv.range({ prefix: '/jobs/' }, { countOnly: true });
      assert.deepEqual([countOnly.kvs.length, countOnly.count], [0, 3]);
    }));

  void test('reads at an older revision see the state of that revision', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/a', '1'); // 1
      await kv.put('/b', '1'); // 2
      await kv.put('/a', '2'); // 3
      await kv.delete('/b'); // 4
      assert.deepEqual(pairs((await kv.range({ prefix: '/' }, { revision: 2 })).kvs), [['/a', '1'], ['/b', '1']]);
      assert.deepEqual(pairs((await kv.range({ prefix: '/' }, { revision: 3 })).kvs), [['/a', '2'], ['/b', '1']]);
      assert.deepEqual(pairs((await kv.range({ prefix: '/' }, { revision: 4 })).kvs), [['/a', '2']]);
      assert.equal((await kv.get('/a', { revision: 1 }))?.value, '1');
      assert.equal(await kv.get('/b', { revision: 4 }), undefined);
      await assert.rejects(kv.get('/a', { revision: 5 }), FutureRevisionError);
    }));

  void test('delete by prefix removes every key in one revision', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/p/1', 'a');
      await kv.put('/p/2', 'b');
      await kv.put('/q', 'c');
      const w = kv.watch({ prefix: '' });
      const del = await kv.delete({ prefix: '/p/' }, { prevKv: true });
      assert.equal(del.revision, 4);
      assert.equal(del.deleted, 2);
      assert.deepEqual(pairs(del.prevKvs ?? []), [['/p/1', 'a'], ['/p/2', 'b']]);
      assert.deepEqual((await kv.range({ prefix: '' })).kvs.map((k) => k.key), ['/q']);
      const [batch] = await batchesThrough(iter(w), 4);
      assert.deepEqual(batch?.events.map((e) => [e.type, e.kv.key, e.kv.modRevision]), [['delete', '/p/1', 4], ['delete', '/p/2', 4]]);
      w.close();
    }));

  void test('compaction keeps the state at its revision and everything after; earlier reads throw CompactedError', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/a', '1'); // 1
      await kv.put('/a', '2'); // 2
      await kv.put('/a', '3'); // 3
      await kv.put('/b', '1'); // 4
      await kv.delete('/b'); // 5
      await kv.put('/c', '1'); // 6
      await kv.compact(4);
      await assert.rejects(kv.get('/a', { revision: 3 }), (e: unknown) => e instanceof CompactedError && e.compactRevision === 4);
      assert.deepEqual(pairs((await kv.range({ prefix: '' }, { revision: 4 })).kvs), [['/a', '3'], ['/b', '1']]);
      assert.deepEqual(pairs((await kv.range({ prefix: '' }, { revision: 5 })).kvs), [['/a', '3']]);
      assert.deepEqual(pairs((await kv.range({ prefix: '' })).kvs), [['/a', '3'], ['/c', '1']]);
      assert.deepEqual(await kv.get('/a'), { key: '/a', value: '3', createRevision: 1, modRevision: 3, version: 3 });
      await assert.rejects(kv.compact(4), CompactedError);
      await assert.rejects(kv.compact(3), CompactedError);
      await assert.rejects(kv.compact(7), FutureRevisionError);
      await assert.rejects(iter(kv.watch({ prefix: '' }, { fromRevision: 3 })).next(), CompactedError);
      const replay = await batchesThrough(iter(kv.watch({ prefix: '' }, { fromRevision: 4 })), 6);
      assert.deepEqual(replay.map((b) => b.revision), [4, 5, 6]);
      await kv.compact(6);
      assert.deepEqual(pairs((await kv.range({ prefix: '' }, { revision: 6 })).kvs), [['/a', '3'], ['/c', '1']]);
      assert.equal((await kv.put('/a', '4')).revision, 7);
      assert.equal((await kv.get('/a'))?.version, 4);
    }));

  void test('malformed requests are rejected with InvalidRequestError and change nothing', () =>
    withStore(open, async ({ kv }) => {
      await assert.rejects(kv.put('', 'x'), InvalidRequestError);
      await assert.rejects(kv.get('bad\uD800'), InvalidRequestError);
      await assert.rejects(kv.txn({ success: [op.put('/a', '1'), op.put('/a', '2')] }), InvalidRequestError);
      await assert.rejects(kv.txn({ success: [op.delete({ prefix: '/a' }), op.put('/a/b', '2')] }), InvalidRequestError);
      await assert.rejects(kv.txn({ failure: [op.put('/x', '1'), op.put('/x', '2')] }), InvalidRequestError, 'both branches are checked');
      await assert.rejects(kv.grantLease(0), InvalidRequestError);
      assert.equal(await kv.currentRevision(), 0);
    }));

  void test('a closed store rejects every call with StoreClosedError; close is idempotent', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/a', '1');
      const w = iter(kv.watch({ prefix: '' }));
      const pending = w.next();
      await kv.close();
      await kv.close();
      await assert.rejects(pending, StoreClosedError);
      await assert.rejects(kv.get('/a'), StoreClosedError);
      await assert.rejects(kv.put('/a', '2'), StoreClosedError);
      await assert.rejects(kv.currentRevision(), StoreClosedError);
      await assert.rejects(kv.grantLease(5), StoreClosedError);
      assert.throws(() => kv.watch({ prefix: '' }), StoreClosedError);
    }));
}

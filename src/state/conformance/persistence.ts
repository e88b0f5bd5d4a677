// Conformance for persistent backends (those whose harness offers `reopen`): revision, keys,
// history, compaction and leases survive close and reopen; lease TTLs restart on open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactedError, LeaseNotFoundError } from '../kv.js';
import type { OpenKv } from './harness.js';
import { batchesThrough, iter, pairs, withStore } from './harness.js';

export function persistenceTests(open: OpenKv): void {
  void test('reopen resumes at the stored revision with keys, versions, history and compaction', () =>
    withStore(open, async ({ kv, reopen }) => {
      if (reopen === undefined) return;
      await kv.put('/a', '1'); // 1
      await kv.put('/a', '2'); // 2
      await kv.put('/b', '1'); // 3
      await kv.delete('/b'); // 4
      await kv.put('/c', '1'); // 5
      await kv.compact(2);
      const again = await reopen();
      assert.equal(await again.currentRevision(), 5);
      assert.deepEqual(await again.get('/a'), { key: '/a', value: '2', createRevision: 1, modRevision: 2, version: 2 });
      assert.deepEqual(pairs((await again.range({ prefix: '' }, { revision: 3 })).kvs), [['/a', '2'], ['/b', '1']]);
      await assert.rejects(again.get('/a', { revision: 1 }), CompactedError);
      const replay = await batchesThrough(iter(again.watch({ prefix: '' }, { fromRevision: 2 })), 5);
      assert.deepEqual(replay.map((b) => b.revision), [2, 3, 4, 5]);
      assert.equal((await again.put('/a', '3')).revision, 6);
      assert.equal((await again.get('/a'))?.version, 3);
    }));

  void test('leases survive reopen with their keys, and their TTL restarts', () =>
    withStore(open, async ({ kv, clock, reopen }) => {
      if (reopen === undefined) return;
      const short = await kv.grantLease(10);
      const revoked = await kv.grantLease(10);
      const other = await kv.grantLease(10);
      await kv.put('/l/short', 'x', { lease: short.id });
      await kv.put('/l/other', 'y', { lease: other.id });
      await kv.revokeLease(revoked.id);
      clock.advance(8_000);
      const again = await reopen();
      await assert.rejects(again.keepAlive(revoked.id), LeaseNotFoundError);
      assert.equal((await again.get('/l/short'))?.lease, short.id);
      clock.advance(5_000); // 13 s since grant, 5 s since reopen: alive
      assert.equal((await again.range({ prefix: '/l/' })).count, 2);
      await again.revokeLease(other.id);
      assert.equal(await again.get('/l/other'), undefined);
      clock.advance(5_001); // 10 s after reopen: expired
      assert.equal(await again.get('/l/short'), undefined);
      const fresh = await again.grantLease(5);
      assert.ok(fresh.id > other.id, 'lease IDs are not reused after reopen');
    }));
}

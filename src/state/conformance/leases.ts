// Conformance: leases — grant, attach, keepAlive, revoke and expiry on the injected clock, with
// the deletes visible to watchers as one transaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeaseNotFoundError, compare, op } from '../kv.js';
import type { OpenKv } from './harness.js';
import { iter, nextBatch, withStore } from './harness.js';

export function leaseTests(open: OpenKv): void {
  void test('revoking a lease deletes its keys in one revision; watchers see the deletes', () =>
    withStore(open, async ({ kv }) => {
      const lease = await kv.grantLease(30);
      assert.ok(lease.id > 0);
      assert.equal(lease.ttl, 30);
      assert.notEqual((await kv.grantLease(30)).id, lease.id);
      await kv.put('/s/1', 'a', { lease: lease.id }); // 1
      await kv.put('/s/2', 'b', { lease: lease.id }); // 2
      await kv.put('/s/3', 'c'); // 3
      assert.equal((await kv.get('/s/1'))?.lease, lease.id);
      assert.equal((await kv.get('/s/3'))?.lease, undefined);
      const it = iter(kv.watch({ prefix: '/s/' }));
      await kv.revokeLease(lease.id);
      assert.equal(await kv.currentRevision(), 4);
      assert.deepEqual((await kv.range({ prefix: '/s/' })).kvs.map((k) => k.key), ['/s/3']);
      const b = await nextBatch(it);
      assert.deepEqual([b.revision, b.events.map((e) => [e.type, e.kv.key])], [4, [['delete', '/s/1'], ['delete', '/s/2']]]);
      await assert.rejects(kv.keepAlive(lease.id), LeaseNotFoundError);
      await assert.rejects(kv.revokeLease(lease.id), LeaseNotFoundError);
      await assert.rejects(kv.put('/s/4', 'x', { lease: lease.id }), LeaseNotFoundError);
    }));

  void test('a lease without keys revokes without a revision; a put without lease detaches the key', () =>
    withStore(open, async ({ kv }) => {
      const lease = await kv.grantLease(10);
      await kv.put('/k', '1', { lease: lease.id }); // 1
      await kv.put('/k', '2'); // 2: detached
      await kv.revokeLease(lease.id);
      assert.equal(await kv.currentRevision(), 2);
      assert.equal((await kv.get('/k'))?.value, '2');
      const other = await kv.grantLease(10);
      await kv.txn({ compare: [compare.lease('/k', '=', 0)], success: [op.put('/k', '3', { lease: other.id })] });
      assert.equal((await kv.get('/k'))?.lease, other.id);
    }));

  void test('an expired lease deletes its keys; keepAlive restarts the TTL', () =>
    withStore(open, async ({ kv, clock }) => {
      const lease = await kv.grantLease(10);
      const keep = await kv.grantLease(100);
      await kv.put('/hb/1', 'a', { lease: lease.id });
      await kv.put('/hb/2', 'b', { lease: lease.id });
      await kv.put('/hb/3', 'c', { lease: keep.id });
      const it = iter(kv.watch({ prefix: '/hb/' }));
      clock.advance(9_000);
      assert.deepEqual(await kv.keepAlive(lease.id), { id: lease.id, ttl: 10 });
      clock.advance(9_000); // 18 s: deadline was restarted at 9 s, so 19 s
      assert.equal((await kv.range({ prefix: '/hb/' })).count, 3);
      clock.advance(1_001);
      assert.deepEqual((await kv.range({ prefix: '/hb/' })).kvs.map((k) => k.key), ['/hb/3']);
      const b = await nextBatch(it);
      assert.deepEqual([b.revision, b.events.map((e) => [e.type, e.kv.key])], [4, [['delete', '/hb/1'], ['delete', '/hb/2']]]);
      await assert.rejects(kv.keepAlive(lease.id), LeaseNotFoundError);
      clock.advance(100_000);
      assert.equal((await kv.range({ prefix: '/hb/' })).count, 0);
      assert.equal(await kv.currentRevision(), 5);
    }));
}

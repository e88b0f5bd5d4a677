// Conformance: watches — live and replayed delivery, one batch per transaction, ordering under
// concurrent writers, key and prefix filters, prevKv, and ending by close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { op } from '../kv.js';
import type { OpenKv } from './harness.js';
import { batchesThrough, iter, nextBatch, withDeadline, withStore } from './harness.js';

export function watchTests(open: OpenKv): void {
  void test('watch from now delivers later writes in the range, with delete events and prevKv on request', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/jobs/old', 'before');
      const w = kv.watch({ prefix: '/jobs/' }, { prevKv: true });
      const it = iter(w);
      await kv.put('/nodes/n1', 'ignored'); // 2
      await kv.put('/jobs/a', '1'); // 3
      await kv.put('/jobs/a', '2'); // 4
      await kv.delete('/jobs/a'); // 5
      const put1 = await nextBatch(it);
      assert.equal(put1.revision, 3);
      assert.deepEqual(put1.events, [{ type: 'put', kv: { key: '/jobs/a', value: '1', createRevision: 3, modRevision: 3, version: 1 } }]);
      const put2 = await nextBatch(it);
      assert.deepEqual(put2.events[0]?.prevKv?.value, '1');
      const del = await nextBatch(it);
      assert.deepEqual(del, {
        revision: 5,
        events: [{ type: 'delete', kv: { key: '/jobs/a', value: '', createRevision: 0, modRevision: 5, version: 0 }, prevKv: { key: '/jobs/a', value: '2', createRevision: 3, modRevision: 4, version: 2 } }],
      });
      w.close();
      assert.deepEqual(await it.next(), { done: true, value: undefined });
    }));

  void test('a key watch sees only that key; without prevKv none is sent', () =>
    withStore(open, async ({ kv }) => {
      const it = iter(kv.watch({ key: '/a' }));
      await kv.put('/a/b', 'x');
      await kv.put('/ab', 'x');
      await kv.put('/a', '1');
      await kv.put('/a', '2');
      const b = await nextBatch(it);
      assert.deepEqual([b.revision, b.events.length, b.events[0]?.kv.key], [3, 1, '/a']);
      assert.equal((await nextBatch(it)).events[0]?.prevKv, undefined);
    }));

  void test('watch from a past revision replays history then continues live, without gaps or repeats', () =>
    withStore(open, async ({ kv }) => {
      for (let i = 1; i <= 5; i++) await kv.put(`/k/${i % 2}`, String(i));
      await kv.put('/other', 'x'); // 6
      const it = iter(kv.watch({ prefix: '/k/' }, { fromRevision: 2, prevKv: true }));
      await kv.put('/k/9', 'live'); // 7
      const got = await batchesThrough(it, 7);
      assert.deepEqual(got.map((b) => b.revision), [2, 3, 4, 5, 7]);
      assert.deepEqual(got.map((b) => b.events[0]?.kv.value), ['2', '3', '4', '5', 'live']);
      assert.equal(got[2]?.events[0]?.prevKv?.value, '2', 'replayed events carry prevKv too');
      await kv.put('/k/1', 'later'); // 8
      assert.equal((await nextBatch(it)).revision, 8);
    }));

  void test('all events of one transaction arrive in one batch, in op order', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/x/gone', '0');
      const it = iter(kv.watch({ prefix: '/x/' }));
      await kv.txn({ success: [op.put('/x/c', '1'), op.put('/x/a', '1'), op.delete('/x/gone'), op.put('/elsewhere', '1')] });
      const b = await nextBatch(it);
      assert.equal(b.revision, 2);
      assert.deepEqual(b.events.map((e) => [e.type, e.kv.key]), [['put', '/x/c'], ['put', '/x/a'], ['delete', '/x/gone']]);
      const replay = await nextBatch(iter(kv.watch({ prefix: '/x/' }, { fromRevision: 2 })));
      assert.deepEqual(replay.events.map((e) => [e.type, e.kv.key]), [['put', '/x/c'], ['put', '/x/a'], ['delete', '/x/gone']]);
    }));

  void test('under concurrent writers a watcher sees every revision once, in order', () =>
    withStore(open, async ({ kv }) => {
      const it = iter(kv.watch({ prefix: '' }));
      const late = iter(kv.watch({ prefix: '' }, { fromRevision: 1 }));
      const writers = 4;
      const perWriter = 15;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) await kv.put(`/w${w}/${i}`, String(i));
        }),
      );
      const total = writers * perWriter;
      for (const stream of [it, late]) {
        const batches = await batchesThrough(stream, total);
        assert.deepEqual(batches.map((b) => b.revision), Array.from({ length: total }, (_, i) => i + 1));
        for (let w = 0; w < writers; w++) {
          const mine = batches.flatMap((b) => b.events).filter((e) => e.kv.key.startsWith(`/w${w}/`));
          assert.deepEqual(mine.map((e) => e.kv.value), Array.from({ length: perWriter }, (_, i) => String(i)));
        }
      }
    }));

  void test('a watch from a future revision waits for it; close() ends a pending next()', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/a', '1');
      const it = iter(kv.watch({ prefix: '' }, { fromRevision: 3 }));
      await kv.put('/a', '2'); // 2: before the start
      await kv.put('/a', '3'); // 3
      assert.equal((await nextBatch(it)).revision, 3);
      const w = kv.watch({ prefix: '' });
      const pending = iter(w).next();
      w.close();
      assert.deepEqual(await withDeadline(pending, 2000), { done: true, value: undefined });
      const broken = iter(kv.watch({ prefix: '' }));
      assert.deepEqual(await broken.return?.(), { done: true, value: undefined });
    }));
}

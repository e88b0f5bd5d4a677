// Behaviour the embedded backends share beyond the KV contract: automatic history retention,
// the watch buffer bound, paged catch-up, and background errors — checked on both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactedError, WatchOverflowError } from '../kv.js';
import type { KV } from '../kv.js';
import { batchesThrough, iter, nextBatch } from '../conformance/harness.js';
import type { LogStoreOptions } from './log-store.js';
import { openMemoryKv } from './memory.js';
import { openSqliteKv } from './sqlite.js';
import { CATCH_UP_PAGE } from './watch-hub.js';

const engines: [string, (o: LogStoreOptions) => KV][] = [
  ['memory', (o) => openMemoryKv(o)],
  ['sqlite', (o) => openSqliteKv(':memory:', o)],
];

for (const [name, open] of engines) {
  void test(`${name}: history older than historyRetention revisions is compacted automatically`, async () => {
    const kv = open({ historyRetention: 10 });
    try {
      for (let i = 1; i <= 40; i++) await kv.put(`/k/${i % 3}`, String(i));
      // At least the last 10 revisions stay readable; compaction runs in steps of one tenth.
      assert.equal((await kv.get('/k/1', { revision: 30 }))?.value, '28');
      await assert.rejects(kv.get('/k/1', { revision: 5 }), CompactedError);
      assert.equal((await kv.range({ prefix: '/k/' })).count, 3);
    } finally {
      await kv.close();
    }
  });

  void test(`${name}: a consumer that falls behind the buffer bound is cancelled, writers are not blocked`, async () => {
    const kv = open({ watchBufferLimit: 5 });
    try {
      const slow = iter(kv.watch({ prefix: '' }));
      const fast = iter(kv.watch({ prefix: '' }));
      await kv.put('/a', '1');
      assert.equal((await nextBatch(fast)).revision, 1);
      for (let i = 2; i <= 8; i++) {
        await kv.put('/a', String(i));
        assert.equal((await nextBatch(fast)).revision, i, 'a keeping-up watcher is unaffected');
      }
      await assert.rejects(slow.next(), (e: unknown) => e instanceof WatchOverflowError && e.limit === 5);
      await assert.rejects(slow.next(), WatchOverflowError);
      assert.equal(await kv.currentRevision(), 8);
    } finally {
      await kv.close();
    }
  });

  void test(`${name}: a watch far in the past catches up page by page, then goes live`, async () => {
    const kv = open({});
    try {
      const total = CATCH_UP_PAGE * 2 + 7;
      for (let i = 1; i <= total; i++) await kv.put(i % 100 === 0 ? '/hit' : '/miss', String(i));
      const it = iter(kv.watch({ key: '/hit' }, { fromRevision: 1 }));
      const got = await batchesThrough(it, CATCH_UP_PAGE * 2);
      assert.deepEqual(got.map((b) => b.revision), Array.from({ length: (CATCH_UP_PAGE * 2) / 100 }, (_, i) => (i + 1) * 100));
      await kv.put('/hit', 'live');
      assert.equal((await nextBatch(it)).revision, total + 1);
      const late = iter(kv.watch({ prefix: '' }, { fromRevision: 2 }));
      await kv.compact(50);
      await assert.rejects(late.next(), CompactedError, 'history compacted before the watcher read it');
    } finally {
      await kv.close();
    }
  });
}

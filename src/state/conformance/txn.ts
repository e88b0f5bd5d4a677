// Conformance: transactions — every compare target and operator, branch selection, atomicity,
// read-your-writes inside a branch and serialisation of concurrent compare-and-swap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Compare, CompareOperator, KV } from '../kv.js';
import { LeaseNotFoundError, compare, op } from '../kv.js';
import type { OpenKv } from './harness.js';
import { pairs, withStore } from './harness.js';

async function holds(kv: KV, c: Compare): Promise<boolean> {
  const before = await kv.currentRevision();
  const r = await kv.txn({ compare: [c], success: [op.get(c.key)], failure: [] });
  assert.equal(r.revision, before, 'a read-only txn must not bump the revision');
  return r.succeeded;
}

/** For actual value A: which of (op, operand) hold. */
function numericCases(actual: number): [CompareOperator, number, boolean][] {
  return [
    ['=', actual, true], ['=', actual + 1, false],
    ['!=', actual, false], ['!=', actual + 1, true],
    ['<', actual + 1, true], ['<', actual, false],
    ['>', actual - 1, true], ['>', actual, false],
  ];
}

export function txnTests(open: OpenKv): void {
  void test('compare: every target with every operator, on an existing key', () =>
    withStore(open, async ({ kv }) => {
      const lease = await kv.grantLease(60);
      await kv.put('/other', 'x'); // 1
      await kv.put('/t', 'm'); // 2
      await kv.put('/t', 'm', { lease: lease.id }); // 3
      const actual = { createRevision: 2, modRevision: 3, version: 2, lease: lease.id } as const;
      for (const target of ['createRevision', 'modRevision', 'version', 'lease'] as const) {
        for (const [operator, operand, expected] of numericCases(actual[target])) {
          assert.equal(await holds(kv, { key: '/t', target, op: operator, value: operand }), expected, `${target} ${operator} ${operand}`);
        }
      }
      const valueCases: [CompareOperator, string, boolean][] = [
        ['=', 'm', true], ['=', 'n', false], ['!=', 'm', false], ['!=', 'n', true],
        ['<', 'n', true], ['<', 'm', false], ['>', 'l', true], ['>', 'm', false], ['>', 'ma', false], ['<', 'ma', true],
      ];
      for (const [operator, operand, expected] of valueCases) {
        assert.equal(await holds(kv, compare.value('/t', operator, operand)), expected, `value ${operator} ${operand}`);
      }
    }));

  void test('compare: a missing key has zero revisions, version and lease, and no value compare holds', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/gone', 'v');
      await kv.delete('/gone');
      for (const key of ['/never', '/gone']) {
        for (const target of ['createRevision', 'modRevision', 'version', 'lease'] as const) {
          for (const [operator, operand, expected] of numericCases(0)) {
            assert.equal(await holds(kv, { key, target, op: operator, value: operand }), expected, `${key} ${target} ${operator} ${operand}`);
          }
        }
        for (const operator of ['=', '!=', '<', '>'] as const) assert.equal(await holds(kv, compare.value(key, operator, '')), false);
      }
    }));

  void test('the success branch runs when every compare holds, the failure branch otherwise', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/a', '1');
      const ok = await kv.txn({
        compare: [compare.version('/a', '=', 1), compare.value('/a', '=', '1')],
        success: [op.put('/a', '2', { prevKv: true }), op.put('/b', 'new'), op.get('/a')],
        failure: [op.put('/failed', 'yes')],
      });
      assert.equal(ok.succeeded, true);
      assert.equal(ok.revision, 2);
      assert.deepEqual(ok.results.map((r) => r.type), ['put', 'put', 'range']);
      const [first, , read] = ok.results;
      assert.equal(first?.type === 'put' ? first.prevKv?.value : undefined, '1');
      assert.deepEqual(read?.type === 'range' ? pairs(read.kvs) : [], [['/a', '2']], 'a read after a write in one branch sees it');
      const failed = await kv.txn({
        compare: [compare.version('/a', '=', 2), compare.value('/a', '=', 'wrong')],
        success: [op.put('/a', 'never')],
        failure: [op.delete('/b', { prevKv: true }), op.range({ prefix: '/' })],
      });
      assert.equal(failed.succeeded, false);
      assert.equal(failed.revision, 3);
      const [del, range] = failed.results;
      assert.deepEqual(del?.type === 'delete' ? [del.deleted, pairs(del.prevKvs ?? [])] : [], [1, [['/b', 'new']]]);
      assert.deepEqual(range?.type === 'range' ? [pairs(range.kvs), range.count] : [], [[['/a', '2']], 1]);
      assert.equal((await kv.get('/a'))?.value, '2');
      assert.equal(await kv.get('/failed'), undefined);
    }));

  void test('all writes of a txn share one revision; a failing compare or a bad op applies nothing', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/c', 'x'); // 1
      const r = await kv.txn({ success: [op.put('/a', '1'), op.put('/b', '1'), op.delete('/c')] });
      assert.equal(r.revision, 2);
      assert.deepEqual((await kv.range({ prefix: '/' })).kvs.map((k) => [k.key, k.modRevision]), [['/a', 2], ['/b', 2]]);
      const miss = await kv.txn({ compare: [compare.modRevision('/a', '=', 1)], success: [op.put('/a', 'no'), op.delete({ prefix: '/b' })] });
      assert.equal(miss.succeeded, false);
      assert.equal(miss.revision, 2);
      assert.deepEqual(miss.results, []);
      await assert.rejects(kv.txn({ success: [op.put('/a', 'partial'), op.put('/z', 'x', { lease: 987654 })] }), LeaseNotFoundError);
      assert.equal(await kv.currentRevision(), 2);
      assert.equal((await kv.get('/a'))?.value, '1');
      assert.equal(await kv.get('/z'), undefined);
    }));

  void test('reads inside a txn see the branch’s own earlier puts and deletes (count, limit, order)', () =>
    withStore(open, async ({ kv }) => {
      await kv.txn({ success: [op.put('/r/a', '1'), op.put('/r/c', '1'), op.put('/r/d', '1')] });
      const r = await kv.txn({ success: [op.delete('/r/a'), op.put('/r/b', '2'), op.range({ prefix: '/r/' }, { limit: 2 }), op.range({ prefix: '/r/' }, { revision: 1 })] });
      const now = r.results[2];
      const then = r.results[3];
      assert.deepEqual(now?.type === 'range' ? [pairs(now.kvs), now.count, now.more] : [], [[['/r/b', '2'], ['/r/c', '1']], 3, true]);
      assert.deepEqual(then?.type === 'range' ? then.kvs.map((k) => k.key) : [], ['/r/a', '/r/c', '/r/d']);
    }));

  void test('concurrent compare-and-swap increments are serialised: none is lost', () =>
    withStore(open, async ({ kv }) => {
      await kv.put('/counter', '0');
      const increment = async (): Promise<void> => {
        for (;;) {
          const cur = await kv.get('/counter');
          assert.ok(cur);
          const r = await kv.txn({ compare: [compare.modRevision('/counter', '=', cur.modRevision)], success: [op.put('/counter', String(Number(cur.value) + 1))] });
          if (r.succeeded) return;
        }
      };
      await Promise.all(Array.from({ length: 20 }, increment));
      assert.equal((await kv.get('/counter'))?.value, '20');
      assert.equal((await kv.get('/counter'))?.version, 21);
    }));
}

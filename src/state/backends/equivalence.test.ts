// Property: any sequence of puts, deletes, transactions and compactions yields the same
// observable results and state in the memory and sqlite backends (every response, every
// revision's state, the replayed watch history).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KV, Op, TxnRequest } from '../kv.js';
import { CompactedError, compare, op } from '../kv.js';
import { iter, withDeadline } from '../conformance/harness.js';
import { openMemoryKv } from './memory.js';
import { openSqliteKv } from './sqlite.js';

const keys = ['/a', '/a/b', '/a\u{1F600}', '/a\uFFFD', '/b', '/b/c'];
const prefixes = ['', '/', '/a', '/a/', '/b'];

const key = fc.constantFrom(...keys);
const value = fc.string({ maxLength: 3 });
const writeOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(key, value, fc.boolean()).map(([k, v, prev]) => op.put(k, v, { prevKv: prev })) },
  { weight: 2, arbitrary: key.map((k) => op.delete(k, { prevKv: true })) },
  { weight: 1, arbitrary: fc.constantFrom(...prefixes).map((p) => op.delete({ prefix: p })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...prefixes), fc.nat(3)).map(([p, limit]) => op.range({ prefix: p }, { limit })) },
);

type Command =
  | { kind: 'txn'; request: TxnRequest }
  | { kind: 'compact'; back: number }
  | { kind: 'read'; prefix: string; back: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('txn' as const), request: fc.record({
    compare: fc.array(fc.tuple(key, fc.constantFrom('version', 'modRevision', 'createRevision'), fc.constantFrom('=', '!=', '<', '>'), fc.nat(6)).map(([k, target, o, n]) => ({ key: k, target, op: o, value: n })), { maxLength: 2 }),
    success: fc.array(writeOp, { minLength: 1, maxLength: 3 }),
    failure: fc.array(writeOp, { maxLength: 2 }),
  }) }) as fc.Arbitrary<Command> },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), back: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), prefix: fc.constantFrom(...prefixes), back: fc.nat(5) }) },
);

/** Run one command and describe its outcome (a value, or the error's class name). */
async function run(kv: KV, c: Command): Promise<unknown> {
  try {
    switch (c.kind) {
      case 'txn':
        return await kv.txn(c.request);
      case 'compact':
        return await kv.compact((await kv.currentRevision()) - c.back);
      case 'read':
        return await kv.range({ prefix: c.prefix }, { revision: Math.max(1, (await kv.currentRevision()) - c.back) });
    }
  } catch (err) {
    return { error: err instanceof Error ? err.name : String(err) };
  }
}

/** Every revision's state, then the whole retained history as a watch replays it. */
async function history(kv: KV): Promise<unknown[]> {
  const out: unknown[] = [];
  const current = await kv.currentRevision();
  for (let r = 1; r <= current; r++) out.push(await run(kv, { kind: 'read', prefix: '', back: current - r }));
  if (current === 0) return out;
  let from = 1;
  for (;;) {
    const it = iter(kv.watch({ prefix: '' }, { fromRevision: from, prevKv: true }));
    try {
      for (;;) {
        const b = await withDeadline(it.next(), 2000);
        out.push(b.value);
        if (b.done === true || b.value.revision >= current) return out;
      }
    } catch (err) {
      if (!(err instanceof CompactedError) || from !== 1) throw err;
      out.push({ compactedAt: err.compactRevision });
      from = err.compactRevision;
    }
  }
}

void test('memory and sqlite backends agree on every random sequence of operations', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { maxLength: 40 }), async (commands) => {
      const mem = openMemoryKv();
      const sql = openSqliteKv(':memory:');
      try {
        for (const c of commands) assert.deepEqual(await run(sql, c), await run(mem, c), JSON.stringify(c));
        assert.deepEqual(await history(sql), await history(mem));
      } finally {
        await mem.close();
        await sql.close();
      }
    }),
    { numRuns: 80 },
  );
});

void test('equivalence harness notices a difference (a test that cannot fail is a defect)', async () => {
  const mem = openMemoryKv();
  const sql = openSqliteKv(':memory:');
  try {
    await mem.put('/a', '1');
    await sql.txn({ compare: [compare.version('/a', '=', 1)], success: [op.put('/a', '1')] });
    assert.notDeepEqual(await history(sql), await history(mem));
  } finally {
    await mem.close();
    await sql.close();
  }
});

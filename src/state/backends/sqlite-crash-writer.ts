// Child process of the sqlite crash-safety test (sqlite-crash.test.ts): opens the store at
// argv[2] and commits numbered transactions forever, printing "<n> <revision>" only after each
// txn promise resolved — i.e. after the write was acknowledged. The parent kills it with SIGKILL.
// It must never print before the acknowledgement, or the test would prove nothing.
import { op } from '../kv.js';
import { openSqliteKv } from './sqlite.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: sqlite-crash-writer.ts <database file>');
const kv = openSqliteKv(file);
const start = Number((await kv.get('/crash/last'))?.value ?? '0');
for (let n = start + 1; ; n++) {
  const value = `${n}:${'x'.repeat(n % 200)}`;
  const r = await kv.txn({ success: [op.put(`/crash/n/${String(n).padStart(8, '0')}`, value), op.put('/crash/last', String(n))] });
  process.stdout.write(`${n} ${r.revision}\n`);
}

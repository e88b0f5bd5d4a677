// sqlite-specific guarantees: WAL on disk, one process (connection) per file, refusing files it
// does not understand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { IncompatibleStoreError, SCHEMA_VERSION, openSqliteKv } from './sqlite.js';

function tempFile(): { file: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-sqlite-'));
  return { file: path.join(dir, 'state.db'), done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

void test('sqlite: the file is in WAL mode and a second opener is locked out until close', async () => {
  const { file, done } = tempFile();
  try {
    const kv = openSqliteKv(file);
    await kv.put('/a', '1');
    assert.equal(fs.readFileSync(file).subarray(18, 20).toString('hex'), '0202', 'header says WAL');
    assert.throws(() => openSqliteKv(file, { busyTimeoutMs: 20 }), /locked|busy/i);
    await kv.close();
    const again = openSqliteKv(file, { busyTimeoutMs: 20 });
    assert.equal((await again.get('/a'))?.value, '1');
    await again.close();
  } finally {
    done();
  }
});

void test('sqlite: a newer schema version or a foreign database is refused', async () => {
  const { file, done } = tempFile();
  try {
    await openSqliteKv(file).close();
    const db = new Database(file);
    db.prepare('UPDATE meta SET value = ? WHERE name = ?').run(SCHEMA_VERSION + 1, 'schema_version');
    db.close();
    assert.throws(() => openSqliteKv(file), IncompatibleStoreError);
    fs.rmSync(file);
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    assert.throws(() => openSqliteKv(file), IncompatibleStoreError);
  } finally {
    done();
  }
});

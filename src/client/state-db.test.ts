// The client's SQLite state: allocations, task states and check results survive reopening the file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { CheckQueryResult } from '../structs/checks.js';
import { mockAlloc } from '../structs/mock.js';
import { SqliteStateDB } from './state-db.js';

const check = (id: string, status: CheckQueryResult['Status']): CheckQueryResult => ({ ID: id, Mode: 'healthiness', Status: status, Output: '', Timestamp: 1, Group: 'j.g[0]', Service: 's', Check: id });

test('check results are kept per allocation across a reopen, and go with the allocation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-state-db-'));
  try {
    const file = path.join(dir, 'state.db');
    const a = mockAlloc();
    let db = new SqliteStateDB(file);
    db.putAllocation(a);
    db.putCheckResult(a.ID, check('c1', 'success'));
    db.putCheckResult(a.ID, check('c1', 'failure'));
    db.putCheckResult(a.ID, check('c2', 'success'));
    db.putCheckResult('other', check('c3', 'pending'));
    db.close();

    db = new SqliteStateDB(file);
    const kept = db.checkResults();
    assert.deepEqual(kept.get(a.ID)?.map((r) => `${r.ID}:${r.Status}`).sort(), ['c1:failure', 'c2:success']);
    db.deleteCheckResults(a.ID, ['c2']);
    assert.deepEqual(db.checkResults().get(a.ID)?.map((r) => r.ID), ['c1']);
    db.deleteAllocation(a.ID);
    assert.equal(db.checkResults().has(a.ID), false);
    db.deleteCheckResults('other');
    assert.equal(db.checkResults().size, 0);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

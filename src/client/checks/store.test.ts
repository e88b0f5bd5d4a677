import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckQueryResult } from '../../structs/checks.js';
import { CheckStore } from './store.js';

const result = (id: string, status: CheckQueryResult['Status']): CheckQueryResult => ({ ID: id, Mode: 'healthiness', Status: status, Output: '', Timestamp: 1, Group: 'j.g[0]', Service: 's', Check: id });

test('a pending stub never overwrites a result; lists, differences and purges are per allocation', () => {
  const s = new CheckStore();
  assert.equal(s.list('a'), null);
  s.set('a', result('c1', 'pending'));
  s.set('a', result('c1', 'success'));
  s.set('a', result('c1', 'pending'));
  s.set('a', result('c2', 'failure'));
  s.set('b', result('c3', 'pending'));
  assert.equal(s.list('a')?.['c1']?.Status, 'success');
  assert.deepEqual([...s.snapshot()], [['c1', 'success'], ['c2', 'failure'], ['c3', 'pending']]);
  assert.deepEqual(s.difference('a', ['c1']), ['c2']);
  s.remove('a', ['c2']);
  assert.deepEqual(Object.keys(s.list('a') ?? {}), ['c1']);
  s.purge('a');
  assert.equal(s.list('a'), null);
  assert.deepEqual(Object.keys(s.list('b') ?? {}), ['c3']);
});

test('results persist when a status changes, are loaded on attach, and go with remove and purge', () => {
  const rows = new Map<string, Map<string, CheckQueryResult>>();
  const writes: string[] = [];
  const db = {
    checkResults: () => new Map([...rows].map(([a, m]) => [a, [...m.values()]])),
    putCheckResult(allocID: string, r: CheckQueryResult) {
      writes.push(`${r.ID}:${r.Status}`);
      if (!rows.has(allocID)) rows.set(allocID, new Map());
      rows.get(allocID)?.set(r.ID, r);
    },
    deleteCheckResults(allocID: string, ids?: readonly string[]) {
      if (!ids) rows.delete(allocID);
      else for (const id of ids) rows.get(allocID)?.delete(id);
    },
  };
  const s = new CheckStore();
  s.attach(db);
  s.set('a', result('c1', 'pending'));
  s.set('a', result('c1', 'success'));
  s.set('a', { ...result('c1', 'success'), Timestamp: 2 });
  s.set('a', result('c1', 'failure'));
  s.set('a', result('c2', 'success'));
  assert.deepEqual(writes, ['c1:pending', 'c1:success', 'c1:failure', 'c2:success'], 'written only when the status changes');

  // An agent restart: a new store loads what was kept; a pending stub does not hide it.
  const restarted = new CheckStore();
  restarted.attach(db);
  restarted.set('a', result('c1', 'pending'));
  assert.equal(restarted.list('a')?.['c1']?.Status, 'failure');
  restarted.remove('a', ['c2']);
  assert.deepEqual([...(rows.get('a')?.keys() ?? [])], ['c1']);
  restarted.retainOnly(new Set(['b']));
  assert.equal(restarted.list('a'), null, 'results of allocations no longer run are dropped from memory');
  restarted.purge('a');
  assert.equal(rows.has('a'), false);
});

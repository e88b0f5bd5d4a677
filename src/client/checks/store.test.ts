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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, humanizeIBytes, idLength } from './table.js';

test('formatTable fills empty cells with <none> like Nomad formatList', () => {
  assert.equal(formatTable(['ID|Node ID|Status', 'abc||running']), 'ID   Node ID  Status\nabc  <none>   running');
});

test('humanizeIBytes matches go-humanize IBytes', () => {
  assert.equal(humanizeIBytes(5), '5 B');
  assert.equal(humanizeIBytes(256 * 1024 * 1024), '256 MiB');
  assert.equal(humanizeIBytes(1024 * 1024 * 1024), '1.0 GiB');
  assert.equal(humanizeIBytes(1536), '1.5 KiB');
  assert.equal(humanizeIBytes(300 * 1024 * 1024), '300 MiB');
});

test('idLength is 8 unless verbose', () => {
  assert.equal(idLength(false), 8);
  assert.equal(idLength(true), 36);
});

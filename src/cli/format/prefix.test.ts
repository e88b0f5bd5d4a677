import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeUUIDPrefix } from './prefix.js';

test('sanitizeUUIDPrefix keeps an even number of hex digits, as Nomad does', () => {
  assert.equal(sanitizeUUIDPrefix('a'), 'a');
  assert.equal(sanitizeUUIDPrefix('abc'), 'ab');
  assert.equal(sanitizeUUIDPrefix('abcd'), 'abcd');
  assert.equal(sanitizeUUIDPrefix('abcdef01-a'), 'abcdef01-', 'hyphens do not count');
  assert.equal(sanitizeUUIDPrefix('abcdef01-ab'), 'abcdef01-ab');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, formatDuration, SECOND, MINUTE, HOUR, MS } from './duration.js';

test('parseDuration reads Go duration syntax into nanoseconds', () => {
  assert.equal(parseDuration('15s'), 15 * SECOND);
  assert.equal(parseDuration('1h30m'), HOUR + 30 * MINUTE);
  assert.equal(parseDuration('500ms'), 500 * MS);
  assert.equal(parseDuration('1.5h'), 90 * MINUTE);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('-2m'), -2 * MINUTE);
  assert.equal(parseDuration('10us'), 10_000);
  assert.equal(parseDuration('24h'), 86_400 * SECOND);
});

test('parseDuration rejects malformed input with a reason', () => {
  assert.throws(() => parseDuration('15'), /missing unit/);
  assert.throws(() => parseDuration('10 sec'), /unknown unit/);
  assert.throws(() => parseDuration(''), /empty/);
  assert.throws(() => parseDuration('h'), /expected a number/);
});

test('formatDuration matches Go time.Duration.String', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(15 * SECOND), '15s');
  assert.equal(formatDuration(HOUR + 30 * MINUTE), '1h30m0s');
  assert.equal(formatDuration(5 * MINUTE), '5m0s');
  assert.equal(formatDuration(1500 * MS), '1.5s');
  assert.equal(formatDuration(250 * MS), '250ms');
  assert.equal(formatDuration(-SECOND), '-1s');
});

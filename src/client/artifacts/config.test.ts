import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ARTIFACT_CONFIG, inheritedNames, parseBytes, parseExtraPath } from './config.js';

test('sizes parse as go-humanize ParseBytes does', () => {
  assert.equal(parseBytes('100GB'), 100e9);
  assert.equal(parseBytes('1.5 GiB'), 1.5 * 2 ** 30);
  assert.equal(parseBytes('4096'), 4096);
  assert.equal(parseBytes('10k'), 10_000);
  assert.equal(parseBytes('2 MiB'), 2 * 2 ** 20);
  assert.equal(parseBytes('1,000 B'), 1000);
  assert.throws(() => parseBytes('ten'), /invalid size "ten": expected a number with an optional unit/);
  assert.throws(() => parseBytes('5 parsecs'), /invalid size/);
});

test('defaults are Nomad\'s', () => {
  assert.equal(DEFAULT_ARTIFACT_CONFIG.httpReadTimeoutMs, 30 * 60_000);
  assert.equal(DEFAULT_ARTIFACT_CONFIG.httpMaxBytes, 100e9);
  assert.equal(DEFAULT_ARTIFACT_CONFIG.decompressionFileCountLimit, 4096);
  assert.equal(DEFAULT_ARTIFACT_CONFIG.decompressionSizeLimit, 100e9);
  assert.equal(DEFAULT_ARTIFACT_CONFIG.setEnvironmentVariables, '');
  assert.deepEqual(DEFAULT_ARTIFACT_CONFIG.filesystemIsolationExtraPaths, []);
});

test('extra paths and inherited variable names', () => {
  assert.deepEqual(parseExtraPath('d:r:/srv/artifacts'), { kind: 'd', mode: 'r', path: '/srv/artifacts' });
  assert.deepEqual(parseExtraPath('f:rw:/dev/urandom'), { kind: 'f', mode: 'rw', path: '/dev/urandom' });
  assert.throws(() => parseExtraPath('/srv'), /expected "\[f\|d\]:\[rwcx\]:\/absolute\/path"/);
  assert.throws(() => parseExtraPath('d:r:relative'), /invalid filesystem_isolation_extra_paths entry/);
  assert.deepEqual(inheritedNames(' HTTP_PROXY, NO_PROXY  AWS_REGION,'), ['HTTP_PROXY', 'NO_PROXY', 'AWS_REGION']);
});

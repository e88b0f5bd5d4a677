import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagSet } from './flags.js';
import { addMetaFlags, metaSettings, resolveAddress } from './meta.js';

test('address: -address beats ROAM_ADDR beats NOMAD_ADDR beats the default', () => {
  assert.equal(resolveAddress('', {}), 'http://127.0.0.1:4646');
  assert.equal(resolveAddress('', { NOMAD_ADDR: 'http://localhost:4646' }), 'http://localhost:4646');
  assert.equal(resolveAddress('', { NOMAD_ADDR: 'http://n:1', ROAM_ADDR: 'http://r:2' }), 'http://r:2');
  assert.equal(resolveAddress('http://flag:3', { ROAM_ADDR: 'http://r:2' }), 'http://flag:3');
});

test('address without a scheme gets http:// and trailing slashes are dropped', () => {
  assert.equal(resolveAddress('127.0.0.1:4646', {}), 'http://127.0.0.1:4646');
  assert.equal(resolveAddress('https://roam.example:4646/', {}), 'https://roam.example:4646');
});

test('token, region and namespace come from flags or ROAM_/NOMAD_ variables', () => {
  const fs = new FlagSet('x');
  addMetaFlags(fs);
  fs.parse(['-region', 'eu']);
  const m = metaSettings(fs, { NOMAD_TOKEN: 'secret', ROAM_NAMESPACE: 'ops', NOMAD_NAMESPACE: 'dev' }, false);
  assert.equal(m.token, 'secret');
  assert.equal(m.region, 'eu');
  assert.equal(m.namespace, 'ops');
  assert.equal(m.color, false);
  const fs2 = new FlagSet('y');
  addMetaFlags(fs2);
  fs2.parse(['-token=flagtok', '-insecure']);
  const m2 = metaSettings(fs2, { ROAM_TOKEN: 'envtok' }, true);
  assert.equal(m2.token, 'flagtok');
  assert.equal(m2.tlsSkipVerify, true);
  assert.equal(m2.color, true);
});

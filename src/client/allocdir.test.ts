import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AllocDir } from './allocdir.js';

function mode(p: string): number {
  return fs.statSync(p).mode & 0o7777;
}

test('builds the alloc dir as Nomad lays it out, with Nomad\'s modes', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-allocdir-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const ad = new AllocDir(root, 'a1');
  ad.build();
  const d = ad.buildTaskDir('web');
  ad.buildTaskDir('web'); // idempotent
  assert.deepEqual(fs.readdirSync(path.join(root, 'a1')).sort(), ['alloc', 'web']);
  assert.deepEqual(fs.readdirSync(path.join(root, 'a1', 'alloc')).sort(), ['data', 'logs', 'tmp']);
  assert.deepEqual(fs.readdirSync(path.join(root, 'a1', 'web')).sort(), ['local', 'private', 'secrets', 'tmp']);
  assert.equal(mode(ad.dir), 0o755);
  assert.equal(mode(ad.logDir), 0o777);
  assert.equal(mode(d.secretsDir), 0o700);
  assert.equal(mode(d.tmpDir), 0o1777);
  assert.equal(mode(d.dir), 0o777);
  assert.deepEqual(d, {
    allocDir: path.join(root, 'a1'),
    sharedAllocDir: path.join(root, 'a1', 'alloc'),
    logDir: path.join(root, 'a1', 'alloc', 'logs'),
    dir: path.join(root, 'a1', 'web'),
    localDir: path.join(root, 'a1', 'web', 'local'),
    secretsDir: path.join(root, 'a1', 'web', 'secrets'),
    tmpDir: path.join(root, 'a1', 'web', 'tmp'),
    privateDir: path.join(root, 'a1', 'web', 'private'),
  });
  assert.equal(ad.resolve('alloc/logs/web.stdout.0'), path.join(root, 'a1', 'alloc', 'logs', 'web.stdout.0'));
  assert.equal(ad.resolve('/web/local'), path.join(root, 'a1', 'web', 'local'));
  assert.throws(() => ad.resolve('../../etc/passwd'), /escapes the allocation directory/);
  ad.destroy();
  assert.equal(ad.exists(), false);
});

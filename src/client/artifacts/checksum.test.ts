import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checksumFromFile, parseChecksumValue, verifyFile } from './checksum.js';

const DATA = 'hello artifact\n';
const sum = (t: string): string => createHash(t).update(DATA).digest('hex');

test('checksum values: typed, or guessed from the digest length', () => {
  for (const t of ['md5', 'sha1', 'sha256', 'sha512'] as const) {
    assert.deepEqual(parseChecksumValue(`${t}:${sum(t)}`), { type: t, digest: sum(t) });
    assert.deepEqual(parseChecksumValue(sum(t).toUpperCase()), { type: t, digest: sum(t) });
  }
  assert.throws(() => parseChecksumValue('crc32:abcd'), /unsupported checksum type: crc32/);
  assert.throws(() => parseChecksumValue('sha256:abcd'), /expected 64 hex characters, got 4/);
  assert.throws(() => parseChecksumValue('sha256:zz'), /must be hexadecimal/);
  assert.throws(() => parseChecksumValue('abcdef'), /unknown type for checksum/);
});

test('verifyFile accepts the right digest of every type and reports a mismatch', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-sum-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'a');
  fs.writeFileSync(f, DATA);
  for (const type of ['md5', 'sha1', 'sha256', 'sha512'] as const) await verifyFile(f, { type, digest: sum(type) }, 'a');
  await assert.rejects(verifyFile(f, { type: 'sha256', digest: '0'.repeat(64) }, 'a'), new RegExp(`Checksums did not match for a: expected sha256 0{64}, got ${sum('sha256')}`));
});

test('checksum files: GNU and BSD lines, matched by name, *name, ./relative path, or a line without a name', () => {
  const text = `${sum('sha256')}  other.tgz\n${sum('sha1')} *app.tgz\nSHA512 (dir/app.tgz) = ${sum('sha512')}\n`;
  assert.deepEqual(checksumFromFile(text, '/rel/app.tgz', '/rel/SHA1SUMS', 'x'), { type: 'sha1', digest: sum('sha1') });
  assert.deepEqual(checksumFromFile(`SHA512 (dir/app.tgz) = ${sum('sha512')}\n`, '/r/dir/app.tgz', '/r/SUMS', 'x'), { type: 'sha512', digest: sum('sha512') });
  assert.deepEqual(checksumFromFile(`${sum('md5')}\n`, '/a/b.bin', '/a/b.bin.md5', 'x'), { type: 'md5', digest: sum('md5') });
  assert.throws(() => checksumFromFile(`${sum('sha256')}  other.tgz\n`, '/a/app.tgz', '/a/SUMS', 'http://h/a/SUMS'), /no checksum found in: http:\/\/h\/a\/SUMS/);
});

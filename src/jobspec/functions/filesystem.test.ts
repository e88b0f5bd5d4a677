import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { goBase, goDir } from './filesystem.js';
import { call, checkErrors, testContext } from './testing.js';
import type { ErrorCase } from './testing.js';
import type { FunctionContext } from './types.js';

function withTree(fn: (ctx: FunctionContext, dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-fn-'));
  try {
    fs.mkdirSync(path.join(dir, 'conf/nested'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'hello.txt'), 'Hello World');
    fs.writeFileSync(path.join(dir, 'conf/a.hcl'), 'a');
    fs.writeFileSync(path.join(dir, 'conf/b.json'), 'b');
    fs.writeFileSync(path.join(dir, 'conf/nested/c.hcl'), 'c');
    fs.writeFileSync(path.join(dir, 'binary.bin'), Buffer.from([0xff, 0xfe, 0x00]));
    fn({ ...testContext, baseDir: dir }, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('file functions read relative to the job file directory', () => {
  withTree((ctx, dir) => {
    assert.equal(call('file', ['hello.txt'], ctx), 'Hello World');
    assert.equal(call('file', [path.join(dir, 'hello.txt')], ctx), 'Hello World');
    assert.equal(call('filebase64', ['binary.bin'], ctx), '//4A');
    assert.equal(call('filemd5', ['hello.txt'], ctx), 'b10a8db164e0754105b7a99be72e3fe5');
    assert.equal(call('filesha256', ['hello.txt'], ctx), 'a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e');
    assert.equal(call('fileexists', ['hello.txt'], ctx), true);
    assert.equal(call('fileexists', ['missing.txt'], ctx), false);
    assert.deepEqual(call('fileset', ['.', '*.txt'], ctx), ['hello.txt']);
    assert.deepEqual(call('fileset', ['.', '**/*.hcl'], ctx), ['conf/a.hcl', 'conf/nested/c.hcl']);
    assert.deepEqual(call('fileset', ['conf', '*.{hcl,json}'], ctx), ['a.hcl', 'b.json']);
    assert.deepEqual(call('fileset', ['conf', '?.hcl'], ctx), ['a.hcl']);
    assert.deepEqual(call('fileset', ['.', 'nothing/*'], ctx), []);
    checkErrors(
      [
        ['file', ['missing.txt'], 0, 'no file exists at "missing.txt"'],
        ['file', ['binary.bin'], 0, 'are not valid UTF-8; use filebase64'],
        ['file', ['conf'], 0, 'is a directory'],
        ['fileexists', ['conf'], 0, 'is not a regular file but a directory'],
        ['fileset', ['.', '[abc'], 1, 'unclosed ['],
        ['pathexpand', ['~other/x'], 0, 'cannot expand user-specific home dir'],
      ],
      ctx,
    );
  });
});

test('path functions follow Go filepath semantics', () => {
  assert.equal(call('basename', ['foo/bar/baz.txt']), 'baz.txt');
  assert.equal(call('basename', ['foo/bar/']), 'bar');
  assert.equal(call('basename', ['/']), '/');
  assert.equal(call('basename', ['']), '.');
  assert.equal(call('dirname', ['foo/bar/baz.txt']), 'foo/bar');
  assert.equal(call('dirname', ['foo/bar/']), 'foo/bar');
  assert.equal(call('dirname', ['baz.txt']), '.');
  assert.equal(call('dirname', ['/']), '/');
  assert.equal(call('dirname', ['/a/../b/c']), '/b');
  assert.equal(call('pathexpand', ['~/.ssh/id_rsa']), path.join(os.homedir(), '.ssh/id_rsa'));
  assert.equal(call('pathexpand', ['/etc/resolv.conf']), '/etc/resolv.conf');
  assert.equal(call('abspath', ['/a/b/../c']), '/a/c');
  assert.equal(call('abspath', ['x']), `${process.cwd()}/x`);
});

test('every filesystem function refuses to run when filesystem access is off', () => {
  const off: FunctionContext = { ...testContext, allowFS: false };
  const errors: ErrorCase[] = ['file', 'filebase64', 'fileexists', 'filemd5', 'filesha1', 'filesha256', 'filesha512', 'filebase64sha256', 'filebase64sha512', 'abspath', 'basename', 'dirname', 'pathexpand'].map(
    (name): ErrorCase => [name, ['x'], undefined, `filesystem function "${name}" is disabled`],
  );
  errors.push(['fileset', ['.', '*'], undefined, 'filesystem function "fileset" is disabled']);
  checkErrors(errors, off);
});

test('dirname and basename split a clean relative path', () => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 1, maxLength: 5 }), (parts) => {
      const p = parts.join('/');
      const dir = goDir(p);
      assert.equal(dir === '.' ? goBase(p) : `${dir}/${goBase(p)}`, p);
    }),
  );
});

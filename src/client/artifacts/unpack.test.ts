import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { EscapeError } from './resolve.js';
import { ArchiveError } from './extract.js';
import { makeTar, makeZip, type TestEntry } from './testing/archives.js';
import { detectArchive, unpack } from './unpack.js';

const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };
const NO_LIMITS = { files: 0, bytes: 0 };

function scratch(t: { after(fn: () => void): void }): { dir: string; out: string; outside: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-unpack-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // out/ is nested two levels down so "../../x" from it lands in dir/, where the test looks.
  const out = path.join(dir, 'a', 'out');
  fs.mkdirSync(out, { recursive: true });
  return { dir, out, outside: dir };
}

async function run(format: string, data: Buffer, out: string, limits = NO_LIMITS): Promise<void> {
  const file = path.join(path.dirname(out), `in.${format}`);
  fs.writeFileSync(file, data);
  await unpack(format, file, out, `in.${format}`, { limits, env: ENV, signal: new AbortController().signal });
}

/** Every path under dir (relative), sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

const SAMPLE: TestEntry[] = [
  { type: 'dir', name: 'app/' },
  { type: 'file', name: 'app/run.sh', data: '#!/bin/sh\necho hi\n', mode: 0o755 },
  { type: 'file', name: 'app/conf/settings.txt', data: 'x=1\n' },
  { type: 'symlink', name: 'app/current', target: 'conf/settings.txt' },
  { type: 'hardlink', name: 'app/copy.sh', target: 'app/run.sh' },
];

function checkSample(out: string): void {
  assert.deepEqual(tree(out), ['app', 'app/conf', 'app/conf/settings.txt', 'app/copy.sh', 'app/current', 'app/run.sh']);
  assert.equal(fs.readFileSync(path.join(out, 'app/run.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
  assert.equal(fs.statSync(path.join(out, 'app/run.sh')).mode & 0o777, 0o755);
  assert.equal(fs.readlinkSync(path.join(out, 'app/current')), 'conf/settings.txt');
  assert.equal(fs.readFileSync(path.join(out, 'app/current'), 'utf8'), 'x=1\n');
  assert.equal(fs.readFileSync(path.join(out, 'app/copy.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
  assert.ok(!fs.lstatSync(path.join(out, 'app/copy.sh')).isSymbolicLink());
}

test('archive formats are detected by extension, the longest match winning', () => {
  assert.equal(detectArchive('/x/app.tar.gz'), 'tar.gz');
  assert.equal(detectArchive('/x/app.tgz'), 'tgz');
  assert.equal(detectArchive('/x/app.tar.bz2'), 'tar.bz2');
  assert.equal(detectArchive('/x/app.tar.xz'), 'tar.xz');
  assert.equal(detectArchive('/x/app.zip'), 'zip');
  assert.equal(detectArchive('/x/app.gz'), 'gz');
  assert.equal(detectArchive('/x/app.tar'), 'tar');
  assert.equal(detectArchive('/x/app.sh'), undefined);
});

test('tar, tar.gz, tgz, tar.bz2 and tar.xz unpack files, modes, symlinks and hard links', async (t) => {
  const tar = makeTar(SAMPLE);
  const cases: [string, Buffer][] = [
    ['tar', tar],
    ['tar.gz', zlib.gzipSync(tar)],
    ['tgz', zlib.gzipSync(tar)],
    ['tar.bz2', execFileSync('bzip2', ['-c'], { input: tar })],
    ['tar.xz', execFileSync('xz', ['-c'], { input: tar })],
  ];
  for (const [format, data] of cases) {
    const { out } = scratch(t);
    await run(format, data, out);
    checkSample(out);
  }
});

test('archives made by GNU tar (long names, directories) unpack the same', async (t) => {
  const { dir, out } = scratch(t);
  const src = path.join(dir, 'src');
  const long = `${'d'.repeat(120)}/${'f'.repeat(120)}.txt`;
  fs.mkdirSync(path.join(src, path.dirname(long)), { recursive: true });
  fs.writeFileSync(path.join(src, long), 'long\n');
  fs.symlinkSync(path.basename(long), path.join(src, path.dirname(long), 'link'));
  for (const [flag, ext] of [['-czf', 'tar.gz'], ['-cJf', 'tar.xz'], ['-cjf', 'tar.bz2']] as const) {
    const file = path.join(dir, `gnu.${ext}`);
    execFileSync('tar', [flag, file, '-C', src, '.']);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out);
    await unpack(ext, file, out, `gnu.${ext}`, { limits: NO_LIMITS, env: ENV, signal: new AbortController().signal });
    assert.equal(fs.readFileSync(path.join(out, long), 'utf8'), 'long\n');
    assert.equal(fs.readFileSync(path.join(out, path.dirname(long), 'link'), 'utf8'), 'long\n');
  }
});

test('zip archives (deflated and stored) unpack files, modes and symlinks', async (t) => {
  const entries = SAMPLE.filter((e) => e.type !== 'hardlink');
  for (const store of [false, true]) {
    const { out } = scratch(t);
    await run('zip', makeZip(entries, { store }), out);
    assert.deepEqual(tree(out), ['app', 'app/conf', 'app/conf/settings.txt', 'app/current', 'app/run.sh']);
    assert.equal(fs.statSync(path.join(out, 'app/run.sh')).mode & 0o777, 0o755);
    assert.equal(fs.readFileSync(path.join(out, 'app/current'), 'utf8'), 'x=1\n');
  }
});

test('a zip made by Info-ZIP unpacks', { skip: !fs.existsSync('/usr/bin/zip') && 'zip is not installed' }, async (t) => {
  const { dir, out } = scratch(t);
  fs.mkdirSync(path.join(dir, 'src/sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/sub/a.txt'), 'a'.repeat(10_000));
  execFileSync('zip', ['-qr', path.join(dir, 'x.zip'), '.'], { cwd: path.join(dir, 'src') });
  await unpack('zip', path.join(dir, 'x.zip'), out, 'x.zip', { limits: NO_LIMITS, env: ENV, signal: new AbortController().signal });
  assert.equal(fs.readFileSync(path.join(out, 'sub/a.txt'), 'utf8'), 'a'.repeat(10_000));
});

test('gz, bz2 and xz decompress to a single file named without the extension', async (t) => {
  const data = Buffer.from('payload\n');
  for (const [format, packed] of [
    ['gz', zlib.gzipSync(data)],
    ['bz2', execFileSync('bzip2', ['-c'], { input: data })],
    ['xz', execFileSync('xz', ['-c'], { input: data })],
  ] as const) {
    const { out } = scratch(t);
    await run(format, packed, out);
    assert.deepEqual(tree(out), [`in`]);
    assert.equal(fs.readFileSync(path.join(out, 'in'), 'utf8'), 'payload\n');
  }
});

// ---- safety: nothing may be written outside the output directory -----------------------------

const ESCAPES: [string, TestEntry[], RegExp][] = [
  ['a ../../ entry', [{ type: 'file', name: '../../x', data: 'pwned' }], /entry contains '\.\.': \.\.\/\.\.\/x/],
  ['a ../ inside a path', [{ type: 'file', name: 'ok/../../x', data: 'pwned' }], /contains '\.\.'/],
  ['an absolute path', [{ type: 'file', name: '/tmp/roam-abs-x', data: 'pwned' }], /absolute path: \/tmp\/roam-abs-x/],
  ['a symlink out of the archive', [{ type: 'symlink', name: 'link', target: '../../x' }], /symlink link -> \.\.\/\.\.\/x resolves outside of the archive/],
  ['an absolute symlink', [{ type: 'symlink', name: 'link', target: '/etc/passwd' }], /symlink link points to an absolute path/],
  [
    'a file written through an escaping symlink',
    [
      { type: 'symlink', name: 'link', target: '../..' },
      { type: 'file', name: 'link/x', data: 'pwned' },
    ],
    // Symlinks are created after files, so link/x made link a directory first.
    /conflicts with a directory of the same name/,
  ],
  [
    'a symlink chain that only escapes once both exist',
    [
      { type: 'symlink', name: 'b', target: '.' },
      { type: 'symlink', name: 'a', target: 'b/../../x' },
    ],
    /symlink a -> b\/\.\.\/\.\.\/x resolves outside/,
  ],
  [
    'a symlink through an earlier symlink to the root',
    [
      { type: 'symlink', name: 'b', target: '.' },
      { type: 'symlink', name: 'a', target: 'b/..' },
    ],
    /symlink a -> b\/\.\. resolves outside/,
  ],
  ['a hard link out of the archive', [{ type: 'hardlink', name: 'h', target: '../../x' }], /contains '\.\.'/],
  ['a hard link to an absolute path', [{ type: 'hardlink', name: 'h', target: '/etc/passwd' }], /absolute path/],
  ['a hard link to nothing in the archive', [{ type: 'hardlink', name: 'h', target: 'missing' }], /not a file in the archive/],
  ['a FIFO', [{ type: 'fifo', name: 'p' }], /is a FIFO, which artifacts may not contain/],
];

for (const [what, entries, re] of ESCAPES) {
  test(`tar and zip with ${what} are rejected and write nothing outside`, async (t) => {
    const formats: [string, Buffer][] = [['tar.gz', zlib.gzipSync(makeTar(entries))]];
    if (!entries.some((e) => e.type === 'hardlink' || e.type === 'fifo')) formats.push(['zip', makeZip(entries)]);
    for (const [format, data] of formats) {
      const { out, outside } = scratch(t);
      fs.writeFileSync(path.join(outside, 'x'), 'original');
      await assert.rejects(run(format, data, out), (err: Error) => {
        assert.ok(err instanceof EscapeError || err instanceof ArchiveError, `${format}: ${err.message}`);
        assert.match(err.message, re, format);
        return true;
      });
      assert.equal(fs.readFileSync(path.join(outside, 'x'), 'utf8'), 'original', `${format}: outside file untouched`);
      assert.ok(!fs.existsSync('/tmp/roam-abs-x'));
      assert.deepEqual(fs.readdirSync(outside).sort(), ['a', 'x']);
      assert.deepEqual(fs.readdirSync(path.join(outside, 'a')).sort(), ['in.' + format, 'out']);
    }
  });
}

test('a symlink that stays inside is kept, even through another symlink', async (t) => {
  const { out } = scratch(t);
  await run(
    'tar',
    makeTar([
      { type: 'dir', name: 'd/e' },
      { type: 'file', name: 'd/e/f', data: 'f' },
      { type: 'symlink', name: 'b', target: 'd/e' },
      { type: 'symlink', name: 'a', target: 'b/../e/f' },
    ]),
    out,
  );
  assert.equal(fs.readFileSync(path.join(out, 'a'), 'utf8'), 'f');
});

test('setuid and setgid bits are dropped', async (t) => {
  const { out } = scratch(t);
  await run('tar', makeTar([{ type: 'file', name: 'suid', data: 'x', mode: 0o6755 }]), out);
  assert.equal(fs.statSync(path.join(out, 'suid')).mode & 0o7777, 0o755);
});

test('the file-count limit stops an archive with too many entries', async (t) => {
  const entries: TestEntry[] = Array.from({ length: 6 }, (_, i) => ({ type: 'file', name: `f${i}`, data: 'x' }));
  for (const [format, data] of [
    ['tar', makeTar(entries)],
    ['zip', makeZip(entries)],
  ] as const) {
    const { out } = scratch(t);
    await assert.rejects(run(format, data, out, { files: 5, bytes: 0 }), /contains too many files: 6 > 5 \(the client's decompression_file_count_limit\)/);
  }
});

test('the size limit stops a decompression bomb part-way', async (t) => {
  const big = Buffer.alloc(8 * 1024 * 1024); // compresses to a few KiB
  const tgz = zlib.gzipSync(makeTar([{ type: 'file', name: 'bomb', data: big }]));
  assert.ok(tgz.length < 64 * 1024);
  for (const [format, data] of [
    ['tar.gz', tgz],
    ['zip', makeZip([{ type: 'file', name: 'bomb', data: big }])],
    ['gz', zlib.gzipSync(big)],
  ] as const) {
    const { out } = scratch(t);
    await assert.rejects(run(format, data, out, { files: 0, bytes: 1024 * 1024 }), /larger than limit: more than 1048576 bytes \(the client's decompression_size_limit\)/);
    const written = tree(out)
      .map((p) => fs.statSync(path.join(out, p)))
      .filter((s) => s.isFile())
      .reduce((n, s) => n + s.size, 0);
    assert.ok(written <= 1024 * 1024 + 64 * 1024, `${format}: wrote ${written} bytes`);
  }
});

test('corrupt and empty archives fail clearly', async (t) => {
  const { out } = scratch(t);
  await assert.rejects(run('tar.gz', Buffer.from('not gzip'), out), /gzip: invalid or corrupt data/);
  await assert.rejects(run('tar', Buffer.alloc(1024), out), /empty archive/);
  await assert.rejects(run('zip', Buffer.from('PK not really'), out), /not a zip file/);
  await assert.rejects(run('tar.xz', Buffer.from('not xz'), out), /xz failed \(exit status 1\)/);
  const zip = makeZip([{ type: 'file', name: 'a', data: 'hello world' }], { store: true });
  zip[zip.indexOf('hello')] = 0x48; // flip a byte of the stored data
  await assert.rejects(run('zip', zip, out), /zip archive in\.zip entry a is corrupt \(size or CRC-32 mismatch\)/);
});

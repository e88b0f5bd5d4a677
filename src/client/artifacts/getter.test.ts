import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import type { TaskArtifact } from '../../structs/job.js';
import type { TaskDirs } from '../../drivers/driver.js';
import { AllocDir } from '../allocdir.js';
import { childEnv, runChild } from './child.js';
import { DEFAULT_ARTIFACT_CONFIG, type ArtifactConfig } from './config.js';
import { ArtifactGetter, artifactDestination } from './getter.js';
import { makeTar } from './testing/archives.js';

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(t: { after(fn: () => Promise<void> | void): void }, routes: Record<string, Route>): Promise<string> {
  const srv = http.createServer((req, res) => {
    const r = routes[(req.url ?? '').split('?')[0] ?? ''];
    if (r) r(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    srv.closeAllConnections();
    srv.close(() => resolve());
  }));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

const body = (data: string | Buffer): Route => (_req, res) => res.writeHead(200, { 'content-length': Buffer.byteLength(data) }).end(data);
const sha256 = (d: string | Buffer): string => createHash('sha256').update(d).digest('hex');

function taskDirs(t: { after(fn: () => void): void }): { dirs: TaskDirs; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-getter-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const ad = new AllocDir(root, 'a1b2c3d4-0000-1111-2222-333333333333');
  ad.build();
  return { dirs: ad.buildTaskDir('web'), root };
}

function artifact(over: Partial<TaskArtifact>): TaskArtifact {
  return { GetterSource: '', GetterOptions: null, GetterHeaders: null, GetterMode: 'any', GetterInsecure: false, RelativeDest: 'local/', Chown: false, ...over };
}

function getter(over: Partial<ArtifactConfig> = {}, agentEnv: Record<string, string> = {}): ArtifactGetter {
  return new ArtifactGetter({ config: { ...DEFAULT_ARTIFACT_CONFIG, ...over }, agentEnv, lookupUser: (n) => (n === 'nobody' ? { uid: 65534, gid: 65534 } : undefined) });
}

async function get(g: ArtifactGetter, dirs: TaskDirs, a: TaskArtifact, vars: Record<string, string> = {}, user = ''): Promise<void> {
  await g.get({ artifact: a, replace: (s) => s.replace(/\$\{(\w+)\}/g, (_, k: string) => vars[k] ?? ''), taskDirs: dirs, user });
}

/** No staging directory is left in the allocation. */
function noStaging(dirs: TaskDirs): void {
  assert.deepEqual(fs.readdirSync(dirs.allocDir).filter((n) => n.startsWith('.artifact-')), []);
}

test('an http file lands in local/ under its name; checksums of each type verify', async (t) => {
  const script = '#!/bin/sh\necho hello\n';
  const base = await serve(t, { '/bin/hello.sh': body(script) });
  const { dirs } = taskDirs(t);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/bin/hello.sh`, GetterOptions: { checksum: `sha256:${sha256(script)}` } }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'hello.sh'), 'utf8'), script);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/bin/hello.sh`, GetterOptions: { checksum: createHash('md5').update(script).digest('hex'), filename: 'renamed.sh' } }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'renamed.sh'), 'utf8'), script);
  noStaging(dirs);
});

test('a checksum mismatch fails and leaves no file, not even a partial one', async (t) => {
  const base = await serve(t, { '/app.tar.gz': body(zlib.gzipSync(makeTar([{ type: 'file', name: 'x', data: 'x' }]))), '/plain.bin': body('data') });
  const { dirs } = taskDirs(t);
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/plain.bin`, GetterOptions: { checksum: `sha256:${'0'.repeat(64)}` } })), /Checksums did not match for plain\.bin: expected sha256 0{64}, got /);
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/app.tar.gz`, GetterOptions: { checksum: `sha1:${'0'.repeat(40)}` } })), /Checksums did not match for app\.tar\.gz/);
  assert.deepEqual(fs.readdirSync(dirs.localDir), []);
  noStaging(dirs);
});

test('a checksum file URL is fetched and the artifact\'s line used', async (t) => {
  const data = 'payload';
  const base = await serve(t, { '/rel/app.bin': body(data), '/rel/SHA256SUMS': body(`${'1'.repeat(64)}  other\n${sha256(data)}  app.bin\n`) });
  const { dirs } = taskDirs(t);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/rel/app.bin`, GetterOptions: { checksum: `file:${base}/rel/SHA256SUMS` } }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'app.bin'), 'utf8'), data);
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/rel/app.bin`, GetterOptions: { checksum: `file:${base}/rel/MISSING` } })), /Error downloading checksum file: bad response code: 404/);
});

test('a tar.gz unpacks into the destination; archive = false keeps it packed; mode file writes one file', async (t) => {
  const tgz = zlib.gzipSync(makeTar([{ type: 'file', name: 'bin/run.sh', data: 'echo run', mode: 0o755 }]));
  const base = await serve(t, { '/app.tgz': body(tgz), '/one.gz': body(zlib.gzipSync('single')) });
  const { dirs } = taskDirs(t);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/app.tgz`, GetterOptions: { checksum: `sha256:${sha256(tgz)}` }, RelativeDest: 'local/app' }));
  assert.equal(fs.statSync(path.join(dirs.localDir, 'app/bin/run.sh')).mode & 0o777, 0o755);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/app.tgz`, GetterOptions: { archive: 'false' }, RelativeDest: 'local/raw' }));
  assert.deepEqual(fs.readFileSync(path.join(dirs.localDir, 'raw/app.tgz')), tgz);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/one.gz`, GetterMode: 'file', RelativeDest: 'local/conf/one.txt' }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'conf/one.txt'), 'utf8'), 'single');
  await get(getter(), dirs, artifact({ GetterSource: `${base}/one.gz` }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'one'), 'utf8'), 'single');
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/one.gz`, GetterMode: 'dir' })), /gz-compressed files can only unarchive to a single file/);
});

test('an archive that tries to escape fails and the task dir keeps nothing of it', async (t) => {
  const evil = zlib.gzipSync(makeTar([{ type: 'file', name: 'good', data: 'g' }, { type: 'file', name: '../../../../roam-escaped-x', data: 'pwned' }]));
  const base = await serve(t, { '/evil.tar.gz': body(evil) });
  const { dirs, root } = taskDirs(t);
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/evil.tar.gz` })), /entry contains '\.\.': \.\.\/\.\.\/\.\.\/\.\.\/roam-escaped-x/);
  assert.deepEqual(fs.readdirSync(dirs.localDir), []);
  assert.ok(!fs.existsSync(path.join(root, 'roam-escaped-x')) && !fs.existsSync(path.join(path.dirname(root), 'roam-escaped-x')));
  noStaging(dirs);
});

test('destinations stay in the task dir or the shared alloc dir', async (t) => {
  const { dirs } = taskDirs(t);
  assert.equal(artifactDestination('local/x', dirs), path.join(fs.realpathSync(dirs.localDir), 'x'));
  assert.equal(artifactDestination(`${dirs.sharedAllocDir}/data/x`, dirs), path.join(fs.realpathSync(dirs.sharedAllocDir), 'data/x'));
  assert.equal(artifactDestination('/etc/x', dirs), path.join(fs.realpathSync(dirs.dir), 'etc/x'), 'an absolute path outside is taken as relative, as Nomad does');
  assert.throws(() => artifactDestination('../../x', dirs), /artifact destination path escapes alloc directory: "\.\.\/\.\.\/x"/);
  assert.throws(() => artifactDestination('../other-task/local', dirs), /escapes alloc directory/);
  fs.symlinkSync('/etc', path.join(dirs.localDir, 'etc-link'));
  assert.throws(() => artifactDestination('local/etc-link/x', dirs), /escapes alloc directory/);
});

test('http_max_size stops a large download; the download timeout stops a slow one', async (t) => {
  const base = await serve(t, {
    '/big.bin': body(Buffer.alloc(64 * 1024)),
    '/chunked.bin': (_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(64 * 1024));
    },
    '/slow.bin': (_req, res) => {
      res.writeHead(200);
      res.write('start');
    },
  });
  const { dirs } = taskDirs(t);
  await assert.rejects(get(getter({ httpMaxBytes: 1024 }), dirs, artifact({ GetterSource: `${base}/big.bin` })), /larger than the client's artifact http_max_size \(1024 bytes\)/);
  await assert.rejects(get(getter({ httpMaxBytes: 1024 }), dirs, artifact({ GetterSource: `${base}/chunked.bin` })), /larger than the client's artifact http_max_size/);
  await assert.rejects(get(getter({ httpReadTimeoutMs: 300 }), dirs, artifact({ GetterSource: `${base}/slow.bin` })), /download \(http_read_timeout\) timed out after 300ms/);
  assert.deepEqual(fs.readdirSync(dirs.localDir), []);
  noStaging(dirs);
});

test('headers are sent (interpolated); redirects are followed; errors carry the status', async (t) => {
  const base = await serve(t, {
    '/private.txt': (req, res) => (req.headers['authorization'] === 'Bearer s3cret' ? body('ok')(req, res) : res.writeHead(403).end()),
    '/moved.txt': (_req, res) => res.writeHead(302, { location: '/private.txt' }).end(),
  });
  const { dirs } = taskDirs(t);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/moved.txt`, GetterHeaders: { Authorization: 'Bearer ${TOKEN}' } }), { TOKEN: 's3cret' });
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'moved.txt'), 'utf8'), 'ok');
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/private.txt` })), /bad response code: 403/);
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/dir/`, GetterMode: 'dir' })), /downloading a directory over http needs an archive/);
});

test('file sources are refused unless filesystem_isolation_extra_paths allows reading them', async (t) => {
  const { dirs, root } = taskDirs(t);
  const share = path.join(root, 'share');
  fs.mkdirSync(path.join(share, 'tree/sub'), { recursive: true });
  fs.writeFileSync(path.join(share, 'app.sh'), 'echo local');
  fs.writeFileSync(path.join(share, 'tree/sub/f'), 'f');
  fs.symlinkSync('/etc/hostname', path.join(share, 'sneaky'));
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: path.join(share, 'app.sh') })), /local sources are disabled for .*filesystem_isolation_extra_paths/);
  const allowed = getter({ filesystemIsolationExtraPaths: [`d:r:${share}`] });
  await get(allowed, dirs, artifact({ GetterSource: `file://${share}/app.sh` }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'app.sh'), 'utf8'), 'echo local');
  await get(allowed, dirs, artifact({ GetterSource: path.join(share, 'tree'), RelativeDest: 'local/tree' }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'tree/sub/f'), 'utf8'), 'f');
  await assert.rejects(get(allowed, dirs, artifact({ GetterSource: path.join(share, 'sneaky') })), /local sources are disabled for/, 'a symlink out of the allowed directory is judged by its target');
  await assert.rejects(get(getter({ filesystemIsolationExtraPaths: [`d:w:${share}`] }), dirs, artifact({ GetterSource: path.join(share, 'app.sh') })), /local sources are disabled/);
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' }, encoding: 'utf8' }).trim();
}

/** A local repository: v1 tag with version=1, main at version=2, and a symlink `bad` out of it on branch "evil". */
function makeRepo(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'version'), '1\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'one');
  git(dir, 'tag', 'v1');
  fs.writeFileSync(path.join(dir, 'version'), '2\n');
  git(dir, 'commit', '-qam', 'two');
  git(dir, 'checkout', '-qb', 'evil');
  fs.symlinkSync('../../../../../../etc/passwd', path.join(dir, 'bad'));
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'evil');
  git(dir, 'checkout', '-q', 'main');
  return dir;
}

test('git: a local repository (allowed) is cloned at a tag, a branch, or shallowly; escaping symlinks are refused', async (t) => {
  const { dirs, root } = taskDirs(t);
  const repo = makeRepo(path.join(root, 'repos/app'));
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `git::file://${repo}` })), /local sources are disabled/);
  const g = getter({ filesystemIsolationExtraPaths: [`d:r:${path.join(root, 'repos')}`] });
  await get(g, dirs, artifact({ GetterSource: `git::file://${repo}`, GetterOptions: { ref: 'v1' }, RelativeDest: 'local/v1' }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'v1/version'), 'utf8'), '1\n');
  await get(g, dirs, artifact({ GetterSource: `git::${repo}`, RelativeDest: 'local/head' }));
  assert.equal(fs.readFileSync(path.join(dirs.localDir, 'head/version'), 'utf8'), '2\n');
  await get(g, dirs, artifact({ GetterSource: `git::file://${repo}`, GetterOptions: { ref: 'main', depth: '1' }, RelativeDest: 'local/shallow' }));
  assert.equal(git(path.join(dirs.localDir, 'shallow'), 'rev-list', '--count', 'HEAD'), '1');
  await assert.rejects(get(g, dirs, artifact({ GetterSource: `git::file://${repo}`, GetterOptions: { ref: 'nope' }, RelativeDest: 'local/nope' })), /invalid ref: "nope"/);
  await assert.rejects(get(g, dirs, artifact({ GetterSource: `git::file://${repo}`, GetterOptions: { ref: 'evil' }, RelativeDest: 'local/evil' })), /artifact includes symlink that resolves outside of sandbox: bad -> /);
  assert.ok(!fs.existsSync(path.join(dirs.localDir, 'evil')));
  await assert.rejects(get(g, dirs, artifact({ GetterSource: `git::file://${repo}`, GetterOptions: { checksum: `sha256:${'0'.repeat(64)}` } })), /checksum cannot be specified for directory download/);
  noStaging(dirs);
});

test('child processes get a scrubbed environment: PATH, HOME, TMPDIR and only the listed names', async (t) => {
  const { dirs } = taskDirs(t);
  const agentEnv = { NOMAD_TOKEN: 'secret-token', VAULT_TOKEN: 'secret-vault', AWS_SECRET_ACCESS_KEY: 'secret-aws', HTTPS_PROXY: 'http://proxy:3128' };
  const env = childEnv(dirs.dir, 'HTTPS_PROXY', agentEnv);
  assert.deepEqual(Object.keys(env).sort(), ['HOME', 'HTTPS_PROXY', 'PATH', 'TMPDIR']);
  assert.equal(env['TMPDIR'], path.join(dirs.dir, 'tmp'));
  const out = (await runChild('env', 'env', [], { env })).stdout;
  assert.doesNotMatch(out, /secret/);
  assert.match(out, /^HTTPS_PROXY=http:\/\/proxy:3128$/m);
});

test('chown gives the downloaded files to the task user (when the agent runs as root)', { skip: process.getuid?.() !== 0 && 'needs root' }, async (t) => {
  const tgz = zlib.gzipSync(makeTar([{ type: 'file', name: 'd/f', data: 'x' }]));
  const base = await serve(t, { '/a.tgz': body(tgz) });
  const { dirs } = taskDirs(t);
  await get(getter(), dirs, artifact({ GetterSource: `${base}/a.tgz`, RelativeDest: 'local/owned', Chown: true }), {}, 'nobody');
  for (const p of ['owned', 'owned/d', 'owned/d/f']) assert.equal(fs.lstatSync(path.join(dirs.localDir, p)).uid, 65534, p);
  await assert.rejects(get(getter(), dirs, artifact({ GetterSource: `${base}/a.tgz`, RelativeDest: 'local/x', Chown: true }), {}, 'no-such-user'), /chown: unknown user "no-such-user"/);
});

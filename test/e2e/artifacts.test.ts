// Artifacts end to end on a real dev agent: a raw_exec job downloads a script and a tar.gz from a
// loopback HTTP server (with checksums), unpacks the archive and runs from it; a wrong checksum
// fails the task with "Failed Artifact Download" and leaves no file; archives with "../../x", an
// absolute path or an escaping symlink are refused without writing outside the task dir; a git
// artifact is cloned at a tag from a `git daemon` on loopback.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { RoamApi } from '../../src/api/index.js';
import type { Allocation } from '../../src/structs/alloc.js';
import { makeTar } from '../../src/client/artifacts/testing/archives.js';
import { freePort } from '../helpers/ports.js';
import { roam, startAgent, type RunningAgent } from '../helpers/roam.js';
import { onlyAlloc, waitFor, waitForReadyNode } from '../helpers/wait.js';

const sha256 = (d: string | Buffer): string => createHash('sha256').update(d).digest('hex');
const done = (a: Allocation): boolean => a.ClientStatus === 'complete' || a.ClientStatus === 'failed';

const SCRIPT = '#!/bin/sh\necho "hello from the script"\n';
const APP_TGZ = zlib.gzipSync(
  makeTar([
    { type: 'dir', name: 'app/' },
    { type: 'file', name: 'app/run.sh', data: '#!/bin/sh\necho "run from the tarball: $(cat "$(dirname "$0")/data.txt")"\n', mode: 0o755 },
    { type: 'file', name: 'app/data.txt', data: 'unpacked' },
  ]),
);

describe('artifacts on a dev agent', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let work: string;
  let server: http.Server;
  let base: string;
  let gitDaemon: ChildProcess | undefined;
  let gitPort: number;
  const tag = randomBytes(4).toString('hex');
  // Where the malicious archives try to write: fixed absolute locations, whatever the alloc dir's depth.
  const escapes = { dotdot: `/tmp/roam-e2e-dotdot-${tag}`, abs: `/tmp/roam-e2e-abs-${tag}`, link: `/tmp/roam-e2e-link-${tag}` };
  const DEEP = '../'.repeat(24);
  const archives: Record<string, Buffer> = {
    '/dotdot.tar.gz': zlib.gzipSync(makeTar([{ type: 'file', name: `${DEEP}${escapes.dotdot.slice(1)}`, data: 'pwned' }])),
    '/abs.tar.gz': zlib.gzipSync(makeTar([{ type: 'file', name: escapes.abs, data: 'pwned' }])),
    '/link.tar.gz': zlib.gzipSync(makeTar([{ type: 'symlink', name: 'out', target: `${DEEP}${escapes.link.slice(1)}` }])),
  };

  function runJob(name: string, hcl: string): void {
    const file = path.join(work, `${name}.nomad.hcl`);
    fs.writeFileSync(file, hcl);
    const r = roam(['job', 'run', '-detach', file], { env: { ROAM_ADDR: agent.address } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
  }

  /** A batch job, one raw_exec task `t`, no restarts or reschedules, with these artifact blocks. */
  function batch(name: string, script: string, artifacts: string): string {
    return `job "${name}" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(script)}]
      }
${artifacts}
    }
  }
}`;
  }

  async function cat(a: Allocation, p: string): Promise<string> {
    const res = await fetch(`${agent.address}/v1/client/fs/cat/${a.ID}?path=${encodeURIComponent(p)}`);
    assert.equal(res.status, 200, p);
    return res.text();
  }

  async function ls(a: Allocation, p: string): Promise<string[]> {
    const res = await fetch(`${agent.address}/v1/client/fs/ls/${a.ID}?path=${encodeURIComponent(p)}`);
    assert.equal(res.status, 200, p);
    return ((await res.json()) as { Name: string }[]).map((e) => e.Name).sort();
  }

  async function stdout(a: Allocation, want: string): Promise<string> {
    return waitFor('log flushed', async () => {
      const t = await cat(a, 'alloc/logs/t.stdout.0');
      return t.includes(want) ? t : undefined;
    });
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-artifacts-'));
    server = http.createServer((req, res) => {
      const p = (req.url ?? '').split('?')[0] ?? '';
      const data = p === '/bin/hello.sh' ? Buffer.from(SCRIPT) : p === '/app.tar.gz' ? APP_TGZ : archives[p];
      if (data === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-length': data.length }).end(data);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${port}`;

    // A repository served by `git daemon` on loopback: tag v1 has version 1, main has version 2.
    const repo = path.join(work, 'repos', 'app.git');
    const src = path.join(work, 'src');
    fs.mkdirSync(src);
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const git = (cwd: string, ...args: string[]): void => void execFileSync('git', args, { cwd, env });
    git(src, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(src, 'version'), '1\n');
    git(src, 'add', '.');
    git(src, 'commit', '-qm', 'one');
    git(src, 'tag', 'v1');
    fs.writeFileSync(path.join(src, 'version'), '2\n');
    git(src, 'commit', '-qam', 'two');
    git(work, 'clone', '-q', '--bare', src, repo);
    gitPort = await freePort();
    gitDaemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${path.join(work, 'repos')}`, '--listen=127.0.0.1', `--port=${gitPort}`, path.join(work, 'repos')], { env, stdio: 'ignore', detached: true });
    await waitFor('git daemon', () => {
      try {
        execFileSync('git', ['ls-remote', `git://127.0.0.1:${gitPort}/app.git`], { env, stdio: 'ignore' });
        return true;
      } catch {
        return undefined;
      }
    });

    agent = await startAgent(['-dev']);
    api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
  });

  after(async () => {
    await agent.stop();
    if (gitDaemon?.pid !== undefined && gitDaemon.exitCode === null) process.kill(-gitDaemon.pid, 'SIGKILL');
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(work, { recursive: true, force: true });
    for (const p of Object.values(escapes)) fs.rmSync(p, { force: true });
  });

  test('a script and a tar.gz are downloaded with checksums, unpacked, and the task runs from them', async () => {
    runJob(
      'fetch',
      batch(
        'fetch',
        'sh ${NOMAD_TASK_DIR}/bin/hello.sh && ${NOMAD_TASK_DIR}/app/run.sh',
        `      artifact {
        source      = "${base}/bin/hello.sh"
        destination = "local/bin"
        options {
          checksum = "sha256:${sha256(SCRIPT)}"
        }
      }
      artifact {
        source = "${base}/app.tar.gz"
        options {
          checksum = "sha256:${sha256(APP_TGZ)}"
        }
      }`,
      ),
    );
    const a = await onlyAlloc(api, 'fetch', done);
    assert.equal(a.ClientStatus, 'complete', JSON.stringify(a.TaskStates));
    const events = a.TaskStates?.['t']?.Events ?? [];
    assert.deepEqual(
      events.map((e) => e.Type),
      ['Received', 'Task Setup', 'Downloading Artifacts', 'Started', 'Terminated'],
    );
    assert.equal(events[2]?.DisplayMessage, 'Client is downloading artifacts');
    assert.equal(await stdout(a, 'tarball'), 'hello from the script\nrun from the tarball: unpacked\n');
    assert.deepEqual(await ls(a, 't/local'), ['app', 'bin']);
  });

  test('a wrong checksum fails the task with Failed Artifact Download and leaves no file', async () => {
    runJob('badsum', batch('badsum', 'echo should-not-run', `      artifact {\n        source = "${base}/app.tar.gz"\n        options {\n          checksum = "sha256:${'0'.repeat(64)}"\n        }\n      }`));
    const a = await onlyAlloc(api, 'badsum', (x) => x.ClientStatus === 'failed');
    const events = a.TaskStates?.['t']?.Events ?? [];
    const ev = events.find((e) => e.Type === 'Failed Artifact Download');
    assert.equal(ev?.DisplayMessage, `failed to download artifact "${base}/app.tar.gz": Checksums did not match for app.tar.gz: expected sha256 ${'0'.repeat(64)}, got ${sha256(APP_TGZ)}`);
    assert.ok(!events.some((e) => e.Type === 'Started'));
    assert.equal(events.at(-1)?.Type, 'Not Restarting');
    assert.deepEqual(await ls(a, 't/local'), []);
  });

  for (const [kind, re] of [
    ['dotdot', /tar\.gz archive dotdot\.tar\.gz entry contains '\.\.'/],
    ['abs', /entry has an absolute path: \/tmp\/roam-e2e-abs-/],
    ['link', /symlink out -> (\.\.\/)+tmp\/roam-e2e-link-\w+ resolves outside of the archive/],
  ] as const) {
    test(`an archive with ${kind === 'dotdot' ? 'a ../../ entry' : kind === 'abs' ? 'an absolute path' : 'an escaping symlink'} is refused and writes nothing outside`, async () => {
      runJob(`evil-${kind}`, batch(`evil-${kind}`, 'echo should-not-run', `      artifact {\n        source = "${base}/${kind}.tar.gz"\n      }`));
      const a = await onlyAlloc(api, `evil-${kind}`, (x) => x.ClientStatus === 'failed');
      const ev = a.TaskStates?.['t']?.Events?.find((e) => e.Type === 'Failed Artifact Download');
      assert.match(ev?.DisplayMessage ?? '', re);
      assert.ok(!fs.existsSync(escapes[kind]), `${escapes[kind]} must not exist`);
      assert.ok(!fs.existsSync(escapes.dotdot) && !fs.existsSync(escapes.abs) && !fs.existsSync(escapes.link));
      assert.deepEqual(await ls(a, 't/local'), []);
    });
  }

  test('a git artifact is cloned at a tag from a git daemon on loopback', async () => {
    runJob(
      'gitjob',
      batch(
        'gitjob',
        'cat ${NOMAD_TASK_DIR}/repo/version',
        `      artifact {
        source      = "git::git://127.0.0.1:${gitPort}/app.git"
        destination = "local/repo"
        options {
          ref = "v1"
        }
      }`,
      ),
    );
    const a = await onlyAlloc(api, 'gitjob', done);
    assert.equal(a.ClientStatus, 'complete', JSON.stringify(a.TaskStates));
    assert.equal(await stdout(a, '1'), '1\n');
  });
});

// The client routes and the per-allocation commands end to end: a real dev agent, real raw_exec
// tasks, the real `roam` binary for `alloc logs|fs|exec|restart|signal|status -stats`, and the
// /v1/client/* routes read directly where the wire format itself is the point.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RoamApi, type StreamFrame } from '../../src/api/index.js';
import type { Allocation } from '../../src/structs/alloc.js';
import { roam, roamBin, startAgent, type RunningAgent } from '../helpers/roam.js';
import { waitFor as waitForAny } from '../helpers/wait.js';

const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> => waitForAny(what, fn, timeoutMs);

describe('alloc commands against a dev agent', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let batch: Allocation;
  let service: Allocation;

  const run = (name: string, hcl: string): void => {
    const file = path.join(work, `${name}.nomad.hcl`);
    fs.writeFileSync(file, hcl);
    const r = roam(['job', 'run', '-detach', file], { env });
    assert.equal(r.code, 0, r.stderr + r.stdout);
  };
  const allocOf = (job: string, status: string): Promise<Allocation> =>
    waitFor(`${job} ${status}`, async () => {
      const stub = (await api.jobs.allocations(job)).data[0];
      if (!stub) return undefined;
      const a = (await api.allocations.info(stub.ID)).data;
      return a.ClientStatus === status ? a : undefined;
    });
  const rawExec = (job: string, type: string, script: string, extra = ''): string => `
job "${job}" {
  type = "${type}"
  group "g" {
    ${extra}
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(script)}]
      }
    }
  }
}`;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-alloc-cli-'));
    agent = await startAgent(['-dev']);
    api = new RoamApi({ address: agent.address });
    env = { NOMAD_ADDR: agent.address };
    run('batch', rawExec('batch', 'batch', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line-$i; done; echo oops >&2'));
    run('svc', rawExec('svc', 'service', "trap 'echo got-usr1' USR1; echo started-$$; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.3; done", 'restart {\n attempts = 3\n delay = "1s"\n mode = "delay"\n }'));
    batch = await allocOf('batch', 'complete');
    service = await allocOf('svc', 'running');
  });

  after(async () => {
    await agent.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('alloc logs prints stdout, -stderr, and -tail -n the last lines', () => {
    const out = roam(['alloc', 'logs', batch.ID.slice(0, 8)], { env });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, Array.from({ length: 12 }, (_, i) => `line-${i + 1}\n`).join(''));
    const err = roam(['logs', '-stderr', batch.ID, 't'], { env });
    assert.equal(err.stdout, 'oops\n');
    const tail = roam(['alloc', 'logs', '-tail', '-n', '2', batch.ID], { env });
    assert.equal(tail.stdout, 'line-11\nline-12\n');
    const bytes = roam(['alloc', 'logs', '-tail', '-c', '8', batch.ID], { env });
    assert.equal(bytes.stdout, 'line-12\n');
    const missing = roam(['alloc', 'logs', batch.ID, 'nope'], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Could not find task named: nope/);
  });

  test('the logs route streams Nomad frames back to back, 404 for an unknown log', async () => {
    const res = await fetch(`${agent.address}/v1/client/fs/logs/${batch.ID}?task=t&type=stdout`);
    const body = await res.text();
    assert.match(body, /^\{"Offset":\d+,"Data":"[A-Za-z0-9+/=]+","File":"alloc\/logs\/t\.stdout\.0"\}/);
    assert.ok(!body.includes('\n'), 'frames are concatenated, not newline-separated');
    const plain = await (await fetch(`${agent.address}/v1/client/fs/logs/${batch.ID}?task=t&type=stderr&plain=true`)).text();
    assert.equal(plain, 'oops\n');
    assert.equal((await fetch(`${agent.address}/v1/client/fs/logs/${batch.ID}?task=x&type=stdout`)).status, 400);
    assert.equal((await fetch(`${agent.address}/v1/client/fs/logs/${batch.ID}?task=t&type=other`)).status, 400);
    assert.equal((await fetch(`${agent.address}/v1/client/fs/logs/00000000-0000-0000-0000-000000000000?task=t&type=stdout`)).status, 404);
  });

  test('alloc logs -f follows new output until killed', async () => {
    const child = spawn(process.execPath, [roamBin, 'alloc', 'logs', '-f', service.ID], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const first = await waitFor('a tick', () => /tick-(\d+)/.exec(out)?.[1]);
      await waitFor('a later tick', () => new RegExp(`tick-${Number(first) + 2}\\b`).test(out), 10_000);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    }
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
    assert.equal(code, 0);
  });

  test('the API follows a log and sees new frames', async () => {
    const ctl = new AbortController();
    const frames = await api.clientFs.logs(service.ID, 't', { follow: true, origin: 'end', offset: 0, signal: ctl.signal });
    let text = '';
    const started = Date.now();
    try {
      for await (const f of frames as AsyncIterable<StreamFrame>) {
        text += f.Data.toString();
        if (/tick-\d+\n.*tick-\d+\n/s.test(text)) break;
        if (Date.now() - started > 10_000) break;
      }
    } finally {
      ctl.abort();
    }
    assert.match(text, /tick-\d+\n.*tick-\d+\n/s);
  });

  test('alloc fs lists and prints files, refuses paths that leave the allocation', () => {
    const root = roam(['alloc', 'fs', batch.ID], { env });
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, /^Mode\s+Size\s+Modified Time\s+Name/);
    assert.match(root.stdout, /alloc\//);
    assert.match(root.stdout, /t\//);
    const cat = roam(['alloc', 'fs', batch.ID, 'alloc/logs/t.stderr.0'], { env });
    assert.equal(cat.stdout, 'oops\n');
    const stat = roam(['alloc', 'fs', '-stat', batch.ID, 'alloc/logs/t.stderr.0'], { env });
    assert.match(stat.stdout, /-rw.*\s5 B\s.*t\.stderr\.0/);
    const escape = roam(['alloc', 'fs', batch.ID, '../../../../etc/passwd'], { env });
    assert.equal(escape.code, 1);
    assert.match(escape.stderr, /escapes the allocation directory/);
  });

  test('fs routes answer in Nomad shapes; symlinks out of the alloc dir are refused', async () => {
    const ls = (await (await fetch(`${agent.address}/v1/client/fs/ls/${batch.ID}?path=/alloc/logs`)).json()) as { Name: string; IsDir: boolean; Size: number; FileMode: string; ModTime: string }[];
    const entry = ls.find((e) => e.Name === 't.stdout.0');
    assert.ok(entry && !entry.IsDir && entry.Size > 0 && /^-rw/.test(entry.FileMode) && !Number.isNaN(Date.parse(entry.ModTime)));
    const readat = await (await fetch(`${agent.address}/v1/client/fs/readat/${batch.ID}?path=alloc/logs/t.stdout.0&offset=5&limit=1`)).text();
    assert.equal(readat, '1');
    // A symlink placed in the task's dir pointing outside is not followed.
    const local = (await (await fetch(`${agent.address}/v1/client/fs/ls/${service.ID}?path=/t/local`)).json()) as unknown[];
    assert.ok(Array.isArray(local));
    const ex = roam(['alloc', 'exec', '-i=false', service.ID, '/bin/sh', '-c', 'ln -s /etc "$NOMAD_TASK_DIR/out"'], { env });
    assert.equal(ex.code, 0, ex.stderr);
    const res = await fetch(`${agent.address}/v1/client/fs/cat/${service.ID}?path=t/local/out/hostname`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /escapes the allocation directory/);
  });

  test('stats routes and alloc status -stats report memory and CPU', async () => {
    const stats = await api.clientFs.allocStats(service.ID);
    const t = stats.Tasks['t'];
    assert.ok(t && t.ResourceUsage.MemoryStats.RSS > 0);
    assert.ok(typeof t.ResourceUsage.CpuStats.Percent === 'number');
    const host = (await api.clientFs.clientStats()) as { Memory: { Total: number }; CPU: unknown[]; Uptime: number };
    assert.ok(host.Memory.Total > 0 && host.CPU.length > 0 && host.Uptime > 0);
    const st = roam(['alloc', 'status', '-stats', service.ID], { env });
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /Memory Stats\nRSS\s+Swap/);
    assert.match(st.stdout, /CPU Stats\nPercent/);
  });

  test('alloc signal delivers SIGUSR1 to the task', async () => {
    const r = roam(['alloc', 'signal', '-s', 'SIGUSR1', service.ID], { env });
    assert.equal(r.code, 0, r.stderr);
    await waitFor('got-usr1 in the log', async () => (await (await fetch(`${agent.address}/v1/client/fs/logs/${service.ID}?task=t&type=stdout&plain=true`)).text()).includes('got-usr1'));
  });

  test('alloc exec without a TTY prints output and passes the exit code through', () => {
    const hi = roam(['alloc', 'exec', '-i=false', service.ID, 'echo', 'hi'], { env });
    assert.equal(hi.code, 0, hi.stderr);
    assert.equal(hi.stdout, 'hi\n');
    const code = roam(['exec', '-task', 't', service.ID, '/bin/sh', '-c', 'cat; echo err >&2; exit 7'], { env, input: 'from-stdin\n' });
    assert.equal(code.code, 7);
    assert.equal(code.stdout, 'from-stdin\n');
    assert.equal(code.stderr, 'err\n');
  });

  test('alloc exec with a TTY runs a shell on a pty', async () => {
    const pty = await import('node-pty');
    const term = pty.spawn(process.execPath, [roamBin, 'alloc', 'exec', '-i', '-t', service.ID, '/bin/sh'], { name: 'xterm', cols: 80, rows: 24, cwd: work, env: { ...process.env, ...env } as Record<string, string> });
    let out = '';
    term.onData((d) => (out += d));
    const exited = new Promise<number>((r) => term.onExit((e) => r(e.exitCode)));
    try {
      await new Promise((r) => setTimeout(r, 800));
      term.write('tty\n');
      await waitFor('the pty name', () => /\/dev\/pts\/\d+/.test(out), 10_000);
      term.write('exit 3\n');
      assert.equal(await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]), 3);
    } finally {
      try {
        term.kill();
      } catch {
        // already gone
      }
    }
  });

  test('alloc restart emits Restart Signaled and starts a new process', async () => {
    const pidOf = async (): Promise<number> => {
      const log = await (await fetch(`${agent.address}/v1/client/fs/logs/${service.ID}?task=t&type=stdout&plain=true`)).text();
      const all = [...log.matchAll(/started-(\d+)/g)];
      return Number(all[all.length - 1]?.[1]);
    };
    const before = await pidOf();
    const r = roam(['alloc', 'restart', service.ID], { env });
    assert.equal(r.code, 0, r.stderr);
    const after = await waitFor('a new task process', async () => {
      const p = await pidOf();
      return p !== before ? p : undefined;
    });
    assert.notEqual(after, before);
    await waitFor('a Restart Signaled event', async () => (await api.allocations.info(service.ID)).data.TaskStates?.['t']?.Events?.some((e) => e.Type === 'Restart Signaled'));
    const events = roam(['alloc', 'status', service.ID], { env });
    assert.match(events.stdout, /Restart Signaled\s+User requested restart/);
  });
});

describe('client routes through a server', () => {
  test('logs, fs, stats and exec reach a client agent on another address through the server', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-proxy-server-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-proxy-client-'));
    const server = await startAgent(['-server', '-bootstrap-expect', '1', '-data-dir', a, '-bind', '127.0.0.1']);
    let client: RunningAgent | undefined;
    try {
      client = await startAgent(['-client', '-servers', `127.0.0.1:${server.port}`, '-data-dir', b, '-bind', '127.0.0.1', '-network-interface', 'lo'], { plugin: { raw_exec: { config: { enabled: true } } } });
      const api = new RoamApi({ address: server.address });
      const env = { NOMAD_ADDR: server.address };
      await waitFor('client node ready', async () => (await api.nodes.list()).data[0]?.Status === 'ready');
      const file = path.join(a, 'p.nomad.hcl');
      fs.writeFileSync(file, 'job "p" {\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/sh"\n        args = ["-c", "echo proxied; exec sleep 300"]\n      }\n    }\n  }\n}\n');
      assert.equal(roam(['job', 'run', '-detach', file], { env }).code, 0);
      const alloc = await waitFor('p running', async () => {
        const stub = (await api.jobs.allocations('p')).data[0];
        return stub?.ClientStatus === 'running' ? stub : undefined;
      });
      const logs = roam(['alloc', 'logs', alloc.ID], { env });
      assert.equal(logs.stdout, 'proxied\n', logs.stderr);
      const ls = roam(['alloc', 'fs', alloc.ID, 'alloc/logs'], { env });
      assert.match(ls.stdout, /t\.stdout\.0/);
      const stats = await api.clientFs.allocStats(alloc.ID);
      assert.ok((stats.Tasks['t']?.ResourceUsage.MemoryStats.RSS ?? 0) > 0);
      const ex = roam(['alloc', 'exec', '-i=false', alloc.ID, '/bin/sh', '-c', 'echo via-server; exit 4'], { env });
      assert.equal(ex.code, 4, ex.stderr);
      assert.equal(ex.stdout, 'via-server\n');
      assert.equal(roam(['job', 'stop', '-detach', 'p'], { env }).code, 0);
      await waitFor('p stopped', async () => (await api.allocations.info(alloc.ID)).data.ClientStatus !== 'running');
    } finally {
      await client?.stop();
      await server.stop();
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });
});

// The docker driver end to end, as issue 7's "done when" describes it: a real agent, the real
// dockerd (scripts/services.sh), images built locally (scripts/build-images.sh), and the roam
// binary. Redis from redis:7.0.7-alpine answers PING on the host port `roam alloc status` shows;
// logs, exec with a TTY and stats work; memory = 32 OOM-kills a greedy task and says so; job stop
// removes the container; kill -9 of the agent leaves the container running and the restarted
// agent re-attaches to it without starting a duplicate.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RoamApi } from '../../src/api/index.js';
import type { Allocation } from '../../src/structs/alloc.js';
import { repoRoot, roam, roamBin, startAgent, type RunningAgent } from '../helpers/roam.js';
import { waitFor } from '../helpers/wait.js';

const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();

/** Containers this test's allocation IDs own, running or not. */
function containersOf(allocID: string): string[] {
  const out = docker('ps', '-aq', '--no-trunc', '--filter', `label=com.hashicorp.nomad.alloc_id=${allocID}`);
  return out ? out.split('\n') : [];
}

function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    let buf = '';
    s.setTimeout(3000, () => s.destroy(new Error('timeout')));
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        s.end();
        resolve(buf.trim());
      }
    });
    s.on('error', reject);
  });
}

const redisJob = `
job "cache" {
  group "db" {
    network {
      port "redis" {
        to = 6379
      }
    }
    service {
      name     = "redis-svc"
      port     = "redis"
      provider = "nomad"
    }
    task "redis" {
      driver = "docker"
      config {
        image = "redis:7.0.7-alpine"
        ports = ["redis"]
      }
      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}`;

const greedyJob = `
job "greedy" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "eat" {
      driver = "docker"
      config {
        image   = "busybox:1.36"
        command = "dd"
        args    = ["if=/dev/zero", "of=/dev/null", "bs=256M", "count=1"]
      }
      resources {
        memory = 32
      }
    }
  }
}`;

describe('docker driver end to end', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let work: string;
  const allocIDs: string[] = [];
  const args = (): string[] => ['-server', '-client', '-bootstrap-expect', '1', '-data-dir', dataDir, '-bind', '127.0.0.1', '-network-interface', 'lo'];

  const run = (name: string, hcl: string): void => {
    const file = path.join(work, `${name}.nomad.hcl`);
    fs.writeFileSync(file, hcl);
    const r = roam(['job', 'run', '-detach', file], { env });
    assert.equal(r.code, 0, r.stderr + r.stdout);
  };
  const allocOf = (job: string, ok: (a: Allocation) => boolean): Promise<Allocation> =>
    waitFor(
      `${job} allocation`,
      async () => {
        const stub = (await api.jobs.allocations(job)).data[0];
        if (!stub) return undefined;
        if (!allocIDs.includes(stub.ID)) allocIDs.push(stub.ID);
        const a = (await api.allocations.info(stub.ID)).data;
        return ok(a) ? a : undefined;
      },
      60_000,
    );
  const connect = async (): Promise<void> => {
    agent = await startAgent(args());
    api = new RoamApi({ address: agent.address });
    env = { NOMAD_ADDR: agent.address };
    await waitFor('docker healthy on the node', async () => {
      const n = (await api.nodes.list()).data[0];
      return n?.Status === 'ready' && n.Drivers['docker']?.Healthy ? true : undefined;
    });
  };

  before(async () => {
    execFileSync('bash', [path.join(repoRoot, 'scripts', 'build-images.sh')], { stdio: 'ignore' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-docker-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-docker-work-'));
    await connect();
  });

  after(async () => {
    await agent?.stop();
    for (const id of allocIDs) for (const c of containersOf(id)) spawnSync('docker', ['rm', '-f', c]);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('redis runs from the local image and answers PING on the host port alloc status shows', async () => {
    run('cache', redisJob);
    const alloc = await allocOf('cache', (a) => a.ClientStatus === 'running');
    const status = roam(['alloc', 'status', alloc.ID], { env });
    assert.equal(status.code, 0, status.stderr);
    const m = /\*redis\s+yes\s+127\.0\.0\.1:(\d+) -> 6379/.exec(status.stdout);
    assert.ok(m, `alloc status shows the mapped port:\n${status.stdout}`);
    const port = Number(m[1]);
    assert.equal(await waitFor('PONG', () => redisPing(port).catch(() => undefined), 20_000), '+PONG');
    // The service is registered with the host port.
    const svc = await waitFor('redis-svc registered', async () => (await api.services.info('redis-svc')).data[0]);
    assert.equal(svc.Port, port);
  });

  test('alloc logs, exec with a TTY, and status -stats work for a docker task', async () => {
    const alloc = await allocOf('cache', (a) => a.ClientStatus === 'running');
    const logs = await waitFor('redis log lines', () => {
      const r = roam(['alloc', 'logs', alloc.ID], { env });
      return r.stdout.includes('Ready to accept connections') ? r.stdout : undefined;
    });
    assert.match(logs, /Ready to accept connections/);
    // -i -t under a real pseudo-terminal (script(1)), typing into the container's shell.
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${roamBin} alloc exec -i -t ${alloc.ID} sh`, '/dev/null'], {
      input: 'redis-cli ping; tty; exit\n',
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.match(tty.stdout, /PONG/);
    assert.match(tty.stdout, /\/dev\/pts\/\d+/);
    const plain = roam(['alloc', 'exec', alloc.ID, 'sh', '-c', 'echo "$NOMAD_ALLOC_ID $NOMAD_TASK_DIR"'], { env });
    assert.equal(plain.stdout.trim(), `${alloc.ID} /local`);
    const stats = roam(['alloc', 'status', '-stats', alloc.ID], { env });
    assert.match(stats.stdout, /Memory Stats\s+RSS\s+Cache/);
    assert.match(stats.stdout, /CPU Stats\s+Percent/);
  });

  test('memory = 32 OOM-kills a task that allocates more, and the task event says so', async () => {
    run('greedy', greedyJob);
    const a = await allocOf('greedy', (x) => x.ClientStatus === 'failed');
    const term = a.TaskStates?.['eat']?.Events?.find((e) => e.Type === 'Terminated');
    assert.equal(term?.ExitCode, 137);
    assert.equal(term?.Details?.oom_killed, 'true');
    const status = roam(['alloc', 'status', a.ID], { env });
    assert.match(status.stdout, /Terminated\s+Exit Code: 137, Exit Message: "OOM Killed"/);
  });

  test('kill -9 of the agent leaves the container running; the restarted agent re-attaches without a duplicate', async () => {
    const alloc = await allocOf('cache', (a) => a.ClientStatus === 'running');
    const before = containersOf(alloc.ID);
    assert.equal(before.length, 1);
    await agent.stop('SIGKILL');
    assert.equal(docker('inspect', '-f', '{{.State.Running}}', before[0] ?? ''), 'true', 'the container outlives the agent');
    await connect();
    await new Promise((r) => setTimeout(r, 2000));
    const again = await allocOf('cache', (a) => a.ClientStatus === 'running');
    assert.equal(again.ID, alloc.ID);
    assert.deepEqual(containersOf(alloc.ID), before, 'the same container, no duplicate');
    assert.equal(again.TaskStates?.['redis']?.Events?.filter((e) => e.Type === 'Started').length, 1, 'not started again');
    const logs = roam(['alloc', 'logs', alloc.ID], { env });
    assert.match(logs.stdout, /Ready to accept connections/);
  });

  test('job stop removes the container', async () => {
    const alloc = await allocOf('cache', (a) => a.ClientStatus === 'running');
    const r = roam(['job', 'stop', 'cache'], { env });
    assert.equal(r.code, 0, r.stderr);
    await waitFor('the container removed', () => (containersOf(alloc.ID).length === 0 ? true : undefined), 30_000);
    await allocOf('cache', (a) => a.ClientStatus === 'complete');
  });
});

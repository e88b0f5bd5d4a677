// The docker driver against the real dockerd (scripts/services.sh starts it): what the shared
// conformance suite does not cover — fingerprint states, published ports, OOM kills, labels and
// mounts, image pulls (from a local docker-registry) and pulls that fail, the plugin config's gates and the dangling-container reaper.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nullLogger } from '../../structs/logger.js';
import { DriverError } from '../driver.js';
import type { TaskConfig, TaskHandle } from '../driver.js';
import { eventually, Janitor, makeTaskConfig } from '../testing.js';
import { DockerClient, parseEndpoint } from './api.js';
import { DockerDriver } from './driver.js';
import { TEST_IMAGE, requireDocker } from './test-support.js';

const docker = new DockerClient(parseEndpoint(''));
const janitor = new Janitor();
const drivers: DockerDriver[] = [];
const started: { d: DockerDriver; id: string }[] = [];

function newDriver(plugin: Record<string, unknown> = {}): DockerDriver {
  const d = new DockerDriver(plugin, nullLogger);
  drivers.push(d);
  return d;
}

function cfgFor(config: Record<string, unknown>, extra: Partial<TaskConfig> = {}): TaskConfig {
  return { ...makeTaskConfig(janitor.tempDir('roam-docker-test-'), { config, isolation: 'image' }), ...extra };
}

async function start(d: DockerDriver, cfg: TaskConfig): Promise<void> {
  await d.startTask(cfg);
  started.push({ d, id: cfg.id });
}

interface Inspect {
  Config: { Labels: Record<string, string>; Env: string[] };
  HostConfig: { Binds: string[]; Memory: number; CpuShares: number; CapDrop: string[] | null };
}

before(requireDocker);
after(async () => {
  for (const { d, id } of started) await d.destroyTask(id, true).catch(() => undefined);
  for (const d of drivers) await d.shutdown();
  janitor.cleanup();
});

void describe('docker driver', () => {
  test('fingerprint: healthy with attributes; undetected, then unhealthy, when dockerd does not answer', async () => {
    const fp = await newDriver().fingerprint();
    assert.equal(fp.health, 'healthy');
    assert.match(fp.attributes['driver.docker.version'] ?? '', /^\d+\.\d+/);
    assert.match(fp.attributes['driver.docker.runtimes'] ?? '', /runc/);
    assert.equal(fp.attributes['driver.docker.volumes.enabled'], 'false');
    const gone = newDriver({ endpoint: 'unix:///nonexistent/docker.sock' });
    const fp2 = await gone.fingerprint();
    assert.equal(fp2.health, 'undetected');
    assert.equal(fp2.healthDescription, 'Failed to connect to docker daemon');
  });

  test('a container gets Nomad labels, /alloc /local /secrets binds, the task env, memory and CPU shares', async () => {
    const d = newDriver();
    const cfg = cfgFor({ image: TEST_IMAGE, command: 'sh', args: ['-c', 'echo "$NOMAD_TASK_DIR" > /local/where; sleep 30'], init: true, labels: [{ team: 'web' }] });
    cfg.resources.memoryMB = 48;
    cfg.resources.cpuShares = 250;
    await start(d, cfg);
    const id = d.inspectTask(cfg.id).driverAttributes.container_id ?? '';
    const ins = await docker.json<Inspect>(`/containers/${id}/json`);
    assert.equal(ins.Config.Labels['com.hashicorp.nomad.alloc_id'], cfg.allocID);
    assert.equal(ins.Config.Labels['com.hashicorp.nomad.task_name'], 'web');
    assert.equal(ins.Config.Labels.team, 'web');
    assert.ok(ins.HostConfig.Binds.includes(`${cfg.dirs.localDir}:/local`));
    assert.ok(ins.HostConfig.Binds.includes(`${cfg.dirs.sharedAllocDir}:/alloc`));
    assert.ok(ins.HostConfig.Binds.includes(`${cfg.dirs.secretsDir}:/secrets`));
    assert.equal(ins.HostConfig.Memory, 48 * 1024 * 1024);
    assert.equal(ins.HostConfig.CpuShares, 250);
    assert.ok(ins.HostConfig.CapDrop?.includes('NET_RAW'), "Nomad's default allowlist drops NET_RAW");
    await eventually('the task to write /local/where', () => (fs.existsSync(path.join(cfg.dirs.localDir, 'where')) ? true : undefined), 10_000);
    assert.equal(fs.readFileSync(path.join(cfg.dirs.localDir, 'where'), 'utf8'), '/local\n');
    await d.stopTask(cfg.id, 5000, '');
  });

  test('ports: a port label is published on the host port and mapped to `to`', async () => {
    const d = newDriver();
    const hostPort = await freePort();
    const cfg = cfgFor({ image: TEST_IMAGE, command: 'httpd', args: ['-f', '-p', '8080', '-h', '/var/www'], ports: ['http'], init: true });
    cfg.resources.ports = [{ Label: 'http', Value: hostPort, To: 8080, HostIP: '127.0.0.1' }];
    await start(d, cfg);
    const id = d.inspectTask(cfg.id).driverAttributes.container_id ?? '';
    await docker.json(`/containers/${id}/exec`, { method: 'POST', body: { Cmd: ['sh', '-c', 'echo hello-port > /var/www/index.html'] } }).then((r) =>
      docker.json(`/exec/${(r as { Id: string }).Id}/start`, { method: 'POST', body: { Detach: true } }),
    );
    let body = '';
    for (let i = 0; i < 75 && !body.includes('hello-port'); i++) {
      body = await fetchPage(hostPort).catch(() => '');
      if (!body.includes('hello-port')) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(body, /hello-port/);
    await d.stopTask(cfg.id, 5000, '');
  });

  test('an unknown port label fails the start with the labels the group has', async () => {
    const d = newDriver();
    const cfg = cfgFor({ image: TEST_IMAGE, command: 'true', ports: ['nope'] });
    cfg.resources.ports = [{ Label: 'http', Value: 20000, To: 0, HostIP: '127.0.0.1' }];
    await assert.rejects(d.startTask(cfg), (e: unknown) => e instanceof DriverError && /Port "nope" not found, check network block \(the group has "http"\)/.test(e.message));
  });

  test('memory: a task that allocates past its limit is OOM-killed and says so', async () => {
    const d = newDriver();
    const cfg = cfgFor({ image: TEST_IMAGE, command: 'dd', args: ['if=/dev/zero', 'of=/dev/null', 'bs=128M', 'count=1'] });
    cfg.resources.memoryMB = 16;
    await start(d, cfg);
    const res = await d.waitTask(cfg.id);
    assert.equal(res.oomKilled, true);
    assert.equal(res.exitCode, 137);
  });

  test('an image that is neither local nor pullable fails with Docker’s reason and a Downloading event', async () => {
    const d = newDriver();
    const events: string[] = [];
    const cfg = { ...cfgFor({ image: 'roam-test/does-not-exist:1.0' }), events: (m: string) => void events.push(m) };
    await assert.rejects(d.startTask(cfg), (e: unknown) => e instanceof DriverError && /^Failed to pull `roam-test\/does-not-exist:1.0`: /.test(e.message));
    assert.deepEqual(events, ['Downloading image']);
  });

  test('a present image with a tag other than latest is used without pulling', async () => {
    const d = newDriver();
    const events: string[] = [];
    const cfg = { ...cfgFor({ image: TEST_IMAGE, command: 'true' }), events: (m: string) => void events.push(m) };
    await start(d, cfg);
    assert.equal((await d.waitTask(cfg.id)).exitCode, 0);
    assert.deepEqual(events, []);
  });

  test('privileged, capabilities and host volumes are refused unless the plugin config allows them', async () => {
    const d = newDriver();
    const refused = async (config: Record<string, unknown>, re: RegExp): Promise<void> =>
      assert.rejects(d.startTask(cfgFor({ image: TEST_IMAGE, command: 'true', ...config })), (e: unknown) => e instanceof DriverError && !e.recoverable && re.test(e.message));
    await refused({ privileged: true }, /privileged mode is disabled/);
    await refused({ cap_add: ['SYS_ADMIN'] }, /following caps allowlisted.*sys_admin/);
    await refused({ volumes: ['/etc:/host-etc'] }, /volumes are not enabled; cannot mount host paths: "\/etc"/);
    // A relative volume stays inside the task dir and needs no permission.
    const ok = cfgFor({ image: TEST_IMAGE, command: 'sh', args: ['-c', 'echo in > /data/f'], volumes: ['local/data:/data'] });
    fs.mkdirSync(path.join(ok.dirs.dir, 'local', 'data'), { recursive: true });
    await start(d, ok);
    assert.equal((await d.waitTask(ok.id)).exitCode, 0);
    assert.equal(fs.readFileSync(path.join(ok.dirs.dir, 'local', 'data', 'f'), 'utf8'), 'in\n');
    // Host paths with volumes enabled (privileged containers cannot run on these VMs at all:
    // runc cannot apply the full capability set; container.test.ts covers the allowed spec).
    const allowed = newDriver({ volumes: [{ enabled: true }] });
    const host = cfgFor({ image: TEST_IMAGE, command: 'test', args: ['-f', '/host-etc/hostname'], volumes: ['/etc:/host-etc:ro'] });
    await start(allowed, host);
    assert.equal((await allowed.waitTask(host.id)).exitCode, 0);
  });

  test('the reaper removes containers of this node that no task owns, after the grace period', async () => {
    const nodeID = '00000000-0000-4000-8000-0000000000aa';
    const orphan = await docker.json<{ Id: string }>('/containers/create', {
      method: 'POST',
      body: { Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: { 'com.hashicorp.nomad.alloc_id': 'lost', 'com.hashicorp.nomad.node_id': nodeID } },
    });
    const other = await docker.json<{ Id: string }>('/containers/create', {
      method: 'POST',
      body: { Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: { 'com.hashicorp.nomad.alloc_id': 'elsewhere', 'com.hashicorp.nomad.node_id': 'another-node' } },
    });
    try {
      const d = newDriver({ gc: [{ dangling_containers: [{ period: '1h', creation_grace: '0s' }] }] });
      d.init({ nodeID });
      const removed = await d.reapDangling();
      assert.deepEqual(removed, [orphan.Id]);
      await assert.rejects(docker.json(`/containers/${orphan.Id}/json`), /No such container/);
      await docker.json(`/containers/${other.Id}/json`);
    } finally {
      for (const id of [orphan.Id, other.Id]) await docker.json(`/containers/${id}`, { method: 'DELETE', query: { force: 1 } }).catch(() => undefined);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

function fetchPage(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d.toString()));
        res.on('end', () => resolve(b));
      })
      .on('error', reject);
  });
}

void describe('docker driver: pulling from a registry', () => {
  test('a missing image is pulled, with Downloading image and Downloaded image events; force_pull pulls again', async (t) => {
    const port = await freePort();
    const dir = janitor.tempDir('roam-registry-');
    fs.writeFileSync(
      path.join(dir, 'config.yml'),
      `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${dir}/data}}\nhttp: {addr: 127.0.0.1:${port}}\n`,
    );
    const registry = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
    t.after(() => {
      registry.kill('SIGKILL');
    });
    const image = `127.0.0.1:${port}/roam/pulltest:1`;
    for (let i = 0; i < 50; i++) {
      if (await fetchPage(port).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    execFileSync('docker', ['tag', TEST_IMAGE, image]);
    execFileSync('docker', ['push', image], { stdio: 'ignore' });
    execFileSync('docker', ['rmi', image], { stdio: 'ignore' });
    t.after(() => void spawnSync('docker', ['rmi', '-f', image]));

    const d = newDriver();
    const events: string[] = [];
    const cfg = { ...cfgFor({ image, command: 'true' }), events: (m: string) => void events.push(m) };
    await start(d, cfg);
    assert.equal((await d.waitTask(cfg.id)).exitCode, 0);
    assert.deepEqual(events, ['Downloading image', `Downloaded image ${image}`]);
    // Present now: used without pulling, unless force_pull.
    const again: string[] = [];
    const cfg2 = { ...cfgFor({ image, command: 'true' }), events: (m: string) => void again.push(m) };
    await start(d, cfg2);
    assert.deepEqual(again, []);
    const forced: string[] = [];
    const cfg3 = { ...cfgFor({ image, command: 'true', force_pull: true }), events: (m: string) => void forced.push(m) };
    await start(d, cfg3);
    assert.deepEqual(forced, ['Downloading image', `Downloaded image ${image}`]);
  });
});

void describe('docker driver: recovery', () => {
  /** Logger processes following `containerID` (not their roam-executor shims). */
  const loggersOf = (containerID: string): number[] =>
    fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return cmd.includes('logger') && cmd.includes(containerID) && !cmd.includes('roam-executor');
        } catch {
          return false;
        }
      })
      .map(Number);

  test('a logger that died is replaced on recovery, and a later recovery adopts the replacement', async () => {
    const d = newDriver();
    const cfg = cfgFor({ image: TEST_IMAGE, command: 'sh', args: ['-c', 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done'], init: true });
    const handle = JSON.parse(JSON.stringify(await d.startTask(cfg))) as TaskHandle;
    started.push({ d, id: cfg.id });
    const containerID = d.inspectTask(cfg.id).driverAttributes.container_id ?? '';
    const first = await eventually('the logger', () => (loggersOf(containerID).length === 1 ? loggersOf(containerID) : undefined), 10_000);
    await d.shutdown();
    for (const pid of first) process.kill(pid, 'SIGKILL');
    await eventually('the logger gone', () => (loggersOf(containerID).length === 0 ? true : undefined), 10_000);

    const second = newDriver();
    await second.recoverTask(handle, cfg);
    const replacement = await eventually('a new logger', () => (loggersOf(containerID).length === 1 ? loggersOf(containerID) : undefined), 10_000);
    assert.notDeepEqual(replacement, first);
    await second.shutdown();

    const third = newDriver();
    await third.recoverTask(handle, cfg); // the persisted handle still names the dead first logger
    started.push({ d: third, id: cfg.id });
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(loggersOf(containerID), replacement, 'the running replacement is adopted, not a third logger started');
    const log = (): string => fs.readFileSync(path.join(cfg.dirs.logDir, 'web.stdout.0'), 'utf8');
    const before = log().length;
    await eventually('output still collected', () => (log().length > before ? true : undefined), 10_000);
    await third.stopTask(cfg.id, 5000, '');
  });
});

// The create-container request built from a task (pure; no dockerd needed).
import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, test } from 'node:test';
import { DriverError } from '../driver.js';
import { makeTaskConfig } from '../testing.js';
import { parsePluginConfig, parseTaskConfig, validateTaskConfig } from './config.js';
import { buildContainerSpec, cpuQuota } from './container.js';

const root = os.tmpdir();
const spec = (config: Record<string, unknown>, plugin: Record<string, unknown> = {}, tweak: (c: ReturnType<typeof makeTaskConfig>) => void = () => undefined) => {
  const cfg = makeTaskConfig(root, { config, isolation: 'image' });
  tweak(cfg);
  return { cfg, s: buildContainerSpec(cfg, parseTaskConfig(config), parsePluginConfig(plugin), 2000) };
};
const host = (s: { body: Record<string, unknown> }): Record<string, unknown> => s.body.HostConfig as Record<string, unknown>;

void describe('docker container spec', () => {
  test('name, command, entrypoint and work dir as Nomad builds them', () => {
    const { cfg, s } = spec({ image: 'redis:7.0.7-alpine', command: 'redis-server', args: ['--port', '6379'], entrypoint: ['/bin/sh', '-c'], work_dir: '/data', hostname: 'cache' });
    assert.equal(s.name, `web-${cfg.allocID}`);
    assert.deepEqual(s.body.Cmd, ['redis-server', '--port', '6379']);
    assert.deepEqual(s.body.Entrypoint, ['/bin/sh', '-c']);
    assert.equal(s.body.WorkingDir, '/data');
    assert.equal(s.body.Hostname, 'cache');
    assert.deepEqual(spec({ image: 'x:1', args: ['a'] }).s.body.Cmd, ['a'], 'args alone are the command');
    assert.equal(spec({ image: 'x:1' }).s.body.Cmd, undefined, "no command: the image's CMD");
  });

  test('ports: each label published tcp and udp on the host IP, to `to` or the same port', () => {
    const { s } = spec({ image: 'x:1', ports: ['db', 'web'] }, {}, (c) => {
      c.resources.ports = [
        { Label: 'db', Value: 23456, To: 6379, HostIP: '10.0.0.5' },
        { Label: 'web', Value: 5000, To: 0, HostIP: '10.0.0.5' },
      ];
    });
    assert.deepEqual(host(s).PortBindings, {
      '6379/tcp': [{ HostIp: '10.0.0.5', HostPort: '23456' }],
      '6379/udp': [{ HostIp: '10.0.0.5', HostPort: '23456' }],
      '5000/tcp': [{ HostIp: '10.0.0.5', HostPort: '5000' }],
      '5000/udp': [{ HostIp: '10.0.0.5', HostPort: '5000' }],
    });
    assert.deepEqual(Object.keys(s.body.ExposedPorts as object).sort(), ['5000/tcp', '5000/udp', '6379/tcp', '6379/udp']);
    assert.equal(host(s).NetworkMode, 'bridge');
    const h = spec({ image: 'x:1', ports: ['db'], network_mode: 'host' }, {}, (c) => (c.resources.ports = [{ Label: 'db', Value: 1, To: 2, HostIP: '' }])).s;
    assert.deepEqual(host(h).PortBindings, {}, 'host networking publishes nothing');
  });

  test('memory: memory, or memory_max / memory_hard_limit as the limit with memory as the reservation; no swap', () => {
    const MiB = 1024 * 1024;
    const a = host(spec({ image: 'x:1' }, {}, (c) => (c.resources.memoryMB = 64)).s);
    assert.equal(a.Memory, 64 * MiB);
    assert.equal(a.MemorySwap, 64 * MiB);
    assert.equal(a.MemoryReservation, undefined);
    const b = host(spec({ image: 'x:1' }, {}, (c) => ((c.resources.memoryMB = 64), (c.resources.memoryMaxMB = 128))).s);
    assert.equal(b.Memory, 128 * MiB);
    assert.equal(b.MemoryReservation, 64 * MiB);
    const c = host(spec({ image: 'x:1', memory_hard_limit: 256 }, {}, (t) => (t.resources.memoryMB = 64)).s);
    assert.equal(c.Memory, 256 * MiB);
  });

  test('cpu: shares from resources.cpu; cpu_hard_limit sets a CFS quota of the task’s share of a core', () => {
    assert.equal(host(spec({ image: 'x:1' }, {}, (c) => (c.resources.cpuShares = 500)).s).CpuShares, 500);
    const h = host(spec({ image: 'x:1', cpu_hard_limit: true }, {}, (c) => (c.resources.cpuShares = 500)).s);
    assert.equal(h.CpuPeriod, 100000);
    assert.equal(h.CpuQuota, 25000);
    assert.equal(cpuQuota(4000, 100000, 2000), 200000);
  });

  test('dns, extra hosts, ulimits, init, labels, mounts', () => {
    const { cfg, s } = spec({
      image: 'x:1',
      dns_servers: ['1.1.1.1'],
      extra_hosts: ['db:10.0.0.9'],
      ulimit: [{ nofile: '1024:2048', nproc: '64' }],
      init: true,
      labels: { team: 'a' },
      mount: [{ type: 'tmpfs', target: '/scratch', tmpfs_options: [{ size: 1000000 }] }, { type: 'bind', source: 'local/conf', target: '/conf', readonly: true }],
    });
    const h = host(s);
    assert.deepEqual(h.Dns, ['1.1.1.1']);
    assert.deepEqual(h.ExtraHosts, ['db:10.0.0.9']);
    assert.deepEqual(h.Ulimits, [
      { Name: 'nofile', Soft: 1024, Hard: 2048 },
      { Name: 'nproc', Soft: 64, Hard: 64 },
    ]);
    assert.equal(h.Init, true);
    assert.equal((s.body.Labels as Record<string, string>).team, 'a');
    assert.deepEqual(h.Mounts, [
      { Type: 'tmpfs', Target: '/scratch', ReadOnly: false, TmpfsOptions: { SizeBytes: 1000000 } },
      { Type: 'bind', Target: '/conf', ReadOnly: true, Source: `${cfg.dirs.dir}/local/conf` },
    ]);
  });

  test('the plugin config gates privileged mode, capabilities, runtimes and host volumes', () => {
    const refuses = (config: Record<string, unknown>, plugin: Record<string, unknown>, re: RegExp): void =>
      assert.throws(() => spec({ image: 'x:1', ...config }, plugin), (e: unknown) => e instanceof DriverError && !e.recoverable && re.test(e.message));
    refuses({ privileged: true }, {}, /privileged mode is disabled/);
    assert.equal(host(spec({ image: 'x:1', privileged: true }, { allow_privileged: true }).s).Privileged, true);
    refuses({ cap_add: ['NET_ADMIN'] }, {}, /net_admin/);
    assert.deepEqual(host(spec({ image: 'x:1', cap_add: ['net_admin'] }, { allow_caps: ['net_admin', 'chown'] }).s).CapAdd, ['NET_ADMIN']);
    assert.ok((host(spec({ image: 'x:1' }, { allow_caps: ['chown'] }).s).CapDrop as string[]).includes('KILL'), 'defaults outside the allowlist are dropped');
    refuses({ runtime: 'kata' }, {}, /runtime "kata" is not allowed/);
    refuses({ mount: [{ type: 'bind', source: '/etc', target: '/x' }] }, {}, /volumes are not enabled/);
    assert.doesNotThrow(() => spec({ image: 'x:1', volumes: ['/etc:/x'] }, { volumes: { enabled: true } }));
  });

  test('validateConfig names the option and what was expected', () => {
    assert.deepEqual(validateTaskConfig({ image: 'x:1', ports: ['a'] }), []);
    assert.match(validateTaskConfig({})[0] ?? '', /docker option "image" is required/);
    assert.match(validateTaskConfig({ image: 'x:1', bogus: 1 })[0] ?? '', /unknown option "bogus"/);
    assert.match(validateTaskConfig({ image: 'x:1', ulimit: { nofile: 'lots' } })[0] ?? '', /ulimit "nofile" must be "soft" or "soft:hard"/);
    assert.match(validateTaskConfig({ image: 'x:1', mount: [{ type: 'nfs', target: '/x' }] })[0] ?? '', /type "nfs" is not bind, volume or tmpfs/);
  });
});

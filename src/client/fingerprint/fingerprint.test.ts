import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { FakeDriver } from '../testing/fake-driver.js';
import { fingerprintCpu, goArch, parseCpuInfo } from './cpu.js';
import { driversChanged, fingerprintDrivers } from './drivers.js';
import { fingerprintHost, parseOsRelease } from './host.js';
import { fingerprintHostNode } from './index.js';
import { fingerprintNetwork } from './network.js';
import { volumeOf } from './storage.js';

test('cpu: cores × MHz, 1000 MHz per core when unknown, Go arch names', () => {
  const info = parseCpuInfo('processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\ncpu MHz\t\t: 2400.123\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R)\ncpu MHz\t\t: 2300.000\n', 8);
  assert.deepEqual(info, { cores: 2, mhz: 2400, model: 'Intel(R) Xeon(R)' });
  const fp = fingerprintCpu(info, 'x64');
  assert.equal(fp.attributes['cpu.totalcompute'], '4800');
  assert.equal(fp.attributes['cpu.numcores'], '2');
  assert.equal(fp.attributes['cpu.arch'], 'amd64');
  assert.equal(fp.attributes['cpu.modelname'], 'Intel(R) Xeon(R)');
  assert.deepEqual(fp.resources?.Cpu, { CpuShares: 4800, TotalCpuCores: 2, ReservableCpuCores: [0, 1] });
  // arm boards often print no MHz
  const arm = fingerprintCpu(parseCpuInfo('processor\t: 0\nprocessor\t: 1\nprocessor\t: 2\nprocessor\t: 3\n', 4), 'arm64');
  assert.equal(arm.attributes['cpu.totalcompute'], '4000');
  assert.equal(goArch('ia32'), '386');
});

test('host: os-release, kernel and hostname', () => {
  assert.deepEqual(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'), { PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)', ID: 'debian', VERSION_ID: '12' });
  const fp = fingerprintHost({ platform: 'linux', release: '6.1.0', machine: 'x86_64', hostname: 'box', osRelease: 'ID=debian\nVERSION_ID="12"\n', machineID: 'abc\n' });
  assert.deepEqual(fp.attributes, { 'kernel.name': 'linux', 'kernel.version': '6.1.0', 'kernel.arch': 'x86_64', 'unique.hostname': 'box', 'os.name': 'debian', 'os.version': '12', 'unique.host_id': 'abc' });
});

test('network: the configured interface, loopback in dev mode, dynamic port range', () => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [{ address: '10.1.2.3', netmask: '255.255.255.0', family: 'IPv4' as const, mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '10.1.2.3/24' }],
  };
  const dev = fingerprintNetwork(ifaces, { interfaceName: 'lo', minDynamicPort: 20000, maxDynamicPort: 32000 });
  assert.equal(dev.attributes['unique.network.ip-address'], '127.0.0.1');
  assert.equal(dev.resources?.Networks?.[0]?.IP, '127.0.0.1');
  assert.equal(dev.resources?.MinDynamicPort, 20000);
  const auto = fingerprintNetwork(ifaces, { interfaceName: '', minDynamicPort: 1, maxDynamicPort: 2 });
  assert.equal(auto.attributes['unique.network.ip-address'], '10.1.2.3');
  assert.equal(auto.resources?.NodeNetworks?.[0]?.MacAddress, 'aa:bb:cc:dd:ee:ff');
  assert.throws(() => fingerprintNetwork(ifaces, { interfaceName: 'wlan9', minDynamicPort: 1, maxDynamicPort: 2 }), /wlan9/);
});

test('storage: the volume holding the alloc dir', () => {
  const mounts = '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /var/lib ext4 rw 0 0\ntmpfs /var/lib/x\\040y tmpfs rw 0 0\n';
  assert.equal(volumeOf(mounts, '/var/lib/roam/alloc'), '/dev/sdb1');
  assert.equal(volumeOf(mounts, '/tmp/a'), '/dev/sda1');
  assert.equal(volumeOf(mounts, '/var/lib/x y/z'), 'tmpfs');
});

test('the whole host fingerprint has the attributes the scheduler and users rely on', () => {
  const fp = fingerprintHostNode({ allocDir: os.tmpdir(), networkInterface: 'lo', minDynamicPort: 20000, maxDynamicPort: 32000, advertiseAddress: '127.0.0.1:4646' });
  for (const k of ['cpu.arch', 'cpu.numcores', 'cpu.totalcompute', 'memory.totalbytes', 'kernel.name', 'kernel.version', 'unique.hostname', 'unique.network.ip-address', 'nomad.version', 'nomad.service_discovery', 'unique.advertise.address', 'os.signals', 'unique.storage.bytestotal']) {
    assert.ok(fp.attributes[k] !== undefined, k);
  }
  assert.equal(fp.attributes['kernel.name'], 'linux');
  assert.equal(fp.attributes['nomad.version'], '2.0.6');
  assert.match(fp.attributes['os.signals'] ?? '', /SIGINT,.*SIGTERM/);
  assert.ok(fp.resources.Memory.MemoryMB > 0);
  assert.ok(fp.resources.Cpu.CpuShares > 0);
  assert.ok(fp.resources.Disk.DiskMB > 0);
});

test('drivers: healthy drivers add driver.<name> = 1 and their attributes; undetected ones add nothing', async () => {
  const ok = new FakeDriver('fake');
  const off = new FakeDriver('off');
  off.health = { health: 'undetected', healthDescription: 'disabled', attributes: {} };
  const fp = await fingerprintDrivers(new Map([['fake', ok], ['off', off]]), 0);
  assert.equal(fp.attributes['driver.fake'], '1');
  assert.equal(fp.attributes['driver.fake.version'], '1.0');
  assert.equal(fp.attributes['driver.off'], undefined);
  assert.deepEqual(fp.drivers['off'], { Attributes: null, Detected: false, Healthy: false, HealthDescription: 'disabled', UpdateTime: '1970-01-01T00:00:00Z' });
  assert.equal(fp.drivers['fake']?.Healthy, true);
  const later = await fingerprintDrivers(new Map([['fake', ok], ['off', off]]), 5000);
  assert.equal(driversChanged(fp.drivers, later.drivers), false);
  ok.health = { health: 'unhealthy', healthDescription: 'broken', attributes: {} };
  assert.equal(driversChanged(fp.drivers, (await fingerprintDrivers(new Map([['fake', ok]]), 0)).drivers), true);
});

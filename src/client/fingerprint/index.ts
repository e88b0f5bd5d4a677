// Runs the host fingerprinters in Nomad's order (sorted by name) and merges their attributes and
// resources into one result; driver fingerprints are separate (drivers.ts) because they are
// re-run periodically.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { NodeResources } from '../../structs/resources.js';
import { fingerprintCgroup } from './cgroup.js';
import { fingerprintCpu, parseCpuInfo } from './cpu.js';
import type { FingerprintResult, HostProbe } from './fingerprint.js';
import { fingerprintHost } from './host.js';
import { fingerprintMemory } from './memory.js';
import { fingerprintNetwork } from './network.js';
import { fingerprintNomad } from './nomad.js';
import { fingerprintSignals } from './signal.js';
import { fingerprintStorage } from './storage.js';

export interface HostFingerprintOptions {
  allocDir: string;
  networkInterface: string;
  minDynamicPort: number;
  maxDynamicPort: number;
  advertiseAddress: string;
}

export const realProbe: HostProbe = {
  readFile(p) {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (p) => fs.existsSync(p),
};

export interface HostFingerprint {
  attributes: Record<string, string>;
  resources: NodeResources;
}

/**
 * The host's interfaces with their addresses. Node lists only interfaces that are up and running;
 * a configured interface without carrier (docker0 before its first container) is read with
 * `ip -j addr`, as Nomad (Go's net.Interfaces) sees every interface.
 */
export function hostInterfaces(configured: string): NodeJS.Dict<os.NetworkInterfaceInfo[]> {
  const ifaces = os.networkInterfaces();
  if (!configured || ifaces[configured]) return ifaces;
  try {
    const out = execFileSync('ip', ['-j', 'addr', 'show', 'dev', configured], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [link] = JSON.parse(out) as { address?: string; addr_info?: { family: string; local: string; prefixlen: number }[] }[];
    const list: os.NetworkInterfaceInfo[] = [];
    for (const a of link?.addr_info ?? []) {
      const v6 = a.family === 'inet6';
      const base = { address: a.local, netmask: '', mac: link?.address ?? '', internal: configured === 'lo', cidr: `${a.local}/${a.prefixlen}` };
      list.push(v6 ? { ...base, family: 'IPv6', scopeid: 0 } : { ...base, family: 'IPv4' });
    }
    if (list.length > 0) ifaces[configured] = list;
  } catch {
    // no such interface: the network fingerprint says so
  }
  return ifaces;
}

export function fingerprintHostNode(opts: HostFingerprintOptions, probe: HostProbe = realProbe): HostFingerprint {
  const results: FingerprintResult[] = [
    fingerprintCgroup(probe),
    fingerprintCpu(parseCpuInfo(probe.readFile('/proc/cpuinfo'), os.cpus().length), os.arch()),
    fingerprintHost({ platform: os.platform(), release: os.release(), machine: os.machine(), hostname: os.hostname(), osRelease: probe.readFile('/etc/os-release'), machineID: probe.readFile('/etc/machine-id') }),
    fingerprintMemory(os.totalmem()),
    fingerprintNetwork(hostInterfaces(opts.networkInterface), { interfaceName: opts.networkInterface, minDynamicPort: opts.minDynamicPort, maxDynamicPort: opts.maxDynamicPort }),
    fingerprintNomad(opts.advertiseAddress),
    fingerprintSignals(os.constants.signals as unknown as Record<string, number>),
    fingerprintStorage(opts.allocDir, probe.readFile('/proc/self/mounts')),
  ];
  const resources: NodeResources = {
    Cpu: { CpuShares: 0, TotalCpuCores: 0, ReservableCpuCores: null },
    Memory: { MemoryMB: 0 },
    Disk: { DiskMB: 0 },
    Networks: null,
    NodeNetworks: null,
    Devices: null,
    MinDynamicPort: opts.minDynamicPort,
    MaxDynamicPort: opts.maxDynamicPort,
  };
  const attributes: Record<string, string> = {};
  for (const r of results) {
    Object.assign(attributes, r.attributes);
    Object.assign(resources, r.resources ?? {});
  }
  return { attributes, resources };
}

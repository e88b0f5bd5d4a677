// Runs the host fingerprinters in Nomad's order (sorted by name) and merges their attributes and
// resources into one result; driver fingerprints are separate (drivers.ts) because they are
// re-run periodically.
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

export function fingerprintHostNode(opts: HostFingerprintOptions, probe: HostProbe = realProbe): HostFingerprint {
  const results: FingerprintResult[] = [
    fingerprintCgroup(probe),
    fingerprintCpu(parseCpuInfo(probe.readFile('/proc/cpuinfo'), os.cpus().length), os.arch()),
    fingerprintHost({ platform: os.platform(), release: os.release(), machine: os.machine(), hostname: os.hostname(), osRelease: probe.readFile('/etc/os-release'), machineID: probe.readFile('/etc/machine-id') }),
    fingerprintMemory(os.totalmem()),
    fingerprintNetwork(os.networkInterfaces(), { interfaceName: opts.networkInterface, minDynamicPort: opts.minDynamicPort, maxDynamicPort: opts.maxDynamicPort }),
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

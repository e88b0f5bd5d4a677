// cgroup fingerprint: os.cgroups.version — 2 on a unified hierarchy, 1 on legacy cgroups.
import type { FingerprintResult, HostProbe } from './fingerprint.js';

export function fingerprintCgroup(probe: HostProbe): FingerprintResult {
  if (probe.exists('/sys/fs/cgroup/cgroup.controllers')) return { attributes: { 'os.cgroups.version': '2', 'unique.cgroup.mountpoint': '/sys/fs/cgroup' } };
  if (probe.exists('/sys/fs/cgroup')) return { attributes: { 'os.cgroups.version': '1', 'unique.cgroup.mountpoint': '/sys/fs/cgroup' } };
  return { attributes: {} };
}

// host fingerprint: kernel.name, kernel.version, kernel.arch, os.name and os.version (from
// /etc/os-release), unique.hostname and unique.host_id (the machine ID).
import type { FingerprintResult } from './fingerprint.js';

export function parseOsRelease(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

export interface HostInfo {
  platform: string;
  release: string;
  machine: string;
  hostname: string;
  osRelease: string | undefined;
  machineID: string | undefined;
}

export function fingerprintHost(h: HostInfo): FingerprintResult {
  const os = parseOsRelease(h.osRelease);
  const attributes: Record<string, string> = {
    'kernel.name': h.platform,
    'kernel.version': h.release,
    'kernel.arch': h.machine,
    'unique.hostname': h.hostname,
  };
  if (os['ID']) attributes['os.name'] = os['ID'];
  if (os['VERSION_ID']) attributes['os.version'] = os['VERSION_ID'];
  const id = h.machineID?.trim();
  if (id) attributes['unique.host_id'] = id;
  return { attributes };
}

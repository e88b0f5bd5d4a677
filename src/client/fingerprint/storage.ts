// storage fingerprint of the alloc dir: unique.storage.volume (the device it lives on),
// unique.storage.bytestotal / bytesfree, and NodeResources.Disk.DiskMB (free space, as Nomad).
import fs from 'node:fs';
import path from 'node:path';
import type { FingerprintResult } from './fingerprint.js';

/** The mount whose mount point is the longest prefix of `dir` (from /proc/self/mounts). */
export function volumeOf(mounts: string | undefined, dir: string): string {
  let best = '';
  let source = '';
  for (const line of (mounts ?? '').split('\n')) {
    const [src, mnt] = line.split(' ');
    if (!src || !mnt) continue;
    const m = mnt.replace(/\\040/g, ' ');
    if ((dir === m || dir.startsWith(m.endsWith('/') ? m : `${m}/`)) && m.length >= best.length) {
      best = m;
      source = src;
    }
  }
  return source;
}

export function fingerprintStorage(dir: string, mounts: string | undefined): FingerprintResult {
  fs.mkdirSync(dir, { recursive: true });
  const st = fs.statfsSync(dir);
  const total = st.blocks * st.bsize;
  const free = st.bavail * st.bsize;
  return {
    attributes: { 'unique.storage.volume': volumeOf(mounts, path.resolve(dir)), 'unique.storage.bytestotal': String(total), 'unique.storage.bytesfree': String(free) },
    resources: { Disk: { DiskMB: Math.floor(free / (1024 * 1024)) } },
  };
}

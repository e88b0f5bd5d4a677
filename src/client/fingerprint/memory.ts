// memory fingerprint: memory.totalbytes and NodeResources.Memory.MemoryMB.
import type { FingerprintResult } from './fingerprint.js';

export function fingerprintMemory(totalBytes: number): FingerprintResult {
  return { attributes: { 'memory.totalbytes': String(totalBytes) }, resources: { Memory: { MemoryMB: Math.floor(totalBytes / (1024 * 1024)) } } };
}

// cpu fingerprint: cpu.numcores, cpu.totalcompute (cores × MHz; 1000 MHz per core when the
// frequency is unknown), cpu.frequency, cpu.modelname, cpu.reservablecores, cpu.usablecompute and
// cpu.arch (Go's GOARCH names), plus NodeResources.Cpu.
import type { FingerprintResult } from './fingerprint.js';

export const DEFAULT_MHZ_PER_CORE = 1000;

/** Node's os.arch() in Go's GOARCH spelling (Nomad's arch fingerprint). */
export function goArch(nodeArch: string): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', mips: 'mips', loong64: 'loong64' };
  return map[nodeArch] ?? nodeArch;
}

export interface CpuInfo {
  cores: number;
  mhz: number;
  model: string;
}

/** Parses /proc/cpuinfo: the highest "cpu MHz" and the first "model name". */
export function parseCpuInfo(text: string | undefined, fallbackCores: number): CpuInfo {
  let mhz = 0;
  let model = '';
  let processors = 0;
  for (const line of (text ?? '').split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    const val = line.slice(i + 1).trim();
    if (key === 'processor') processors++;
    else if (key === 'cpu MHz') mhz = Math.max(mhz, Number(val) || 0);
    else if (key === 'model name' && model === '') model = val;
  }
  return { cores: processors || fallbackCores, mhz: Math.round(mhz), model };
}

export function fingerprintCpu(info: CpuInfo, nodeArch: string): FingerprintResult {
  const cores = Math.max(1, info.cores);
  const mhz = info.mhz > 0 ? info.mhz : DEFAULT_MHZ_PER_CORE;
  const total = cores * mhz;
  const reservable = Array.from({ length: cores }, (_, i) => i);
  const attributes: Record<string, string> = {
    'cpu.arch': goArch(nodeArch),
    'cpu.numcores': String(cores),
    'cpu.frequency': String(mhz),
    'cpu.totalcompute': String(total),
    'cpu.usablecompute': String(total),
    'cpu.reservablecores': reservable.length > 1 ? `0-${cores - 1}` : '0',
  };
  if (info.model) attributes['cpu.modelname'] = info.model;
  return { attributes, resources: { Cpu: { CpuShares: total, TotalCpuCores: cores, ReservableCpuCores: reservable } } };
}

// The host's resource usage as Nomad's client reports it at GET /v1/client/stats (HostStats:
// memory, per-core CPU percentages, disk of the alloc dir, uptime), read from Linux's /proc.
// CPU percentages cover the interval since the previous sample, so the collector keeps the last
// one; the first call measures since boot. Read-only: it never changes the host.
import fs from 'node:fs';
import os from 'node:os';

export interface HostCpuStats {
  CPU: string;
  User: number;
  System: number;
  Idle: number;
  Total: number;
}

export interface HostDiskStats {
  Device: string;
  Mountpoint: string;
  Size: number;
  Used: number;
  Available: number;
  UsedPercent: number;
  InodesUsedPercent: number;
}

export interface HostStats {
  Memory: { Total: number; Available: number; Used: number; Free: number };
  CPU: HostCpuStats[];
  DiskStats: HostDiskStats[];
  AllocDirStats: HostDiskStats | null;
  DeviceStats: unknown[];
  /** Seconds since boot. */
  Uptime: number;
  /** Unix nanoseconds. */
  Timestamp: number;
  /** CPU ticks (MHz-weighted) consumed by the host since the previous sample. */
  CPUTicksConsumed: number;
}

interface CpuTimes {
  user: number;
  system: number;
  idle: number;
  total: number;
}

function readCpuTimes(): Map<string, CpuTimes> {
  const out = new Map<string, CpuTimes>();
  let text = '';
  try {
    text = fs.readFileSync('/proc/stat', 'latin1');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^(cpu\d+)\s+(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    out.set(m[1], { user: user + nice, system: system + irq + softirq, idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal });
  }
  return out;
}

function readMemory(): HostStats['Memory'] {
  const kv = new Map<string, number>();
  try {
    for (const line of fs.readFileSync('/proc/meminfo', 'latin1').split('\n')) {
      const m = /^(\w+):\s+(\d+)/.exec(line);
      if (m?.[1] && m[2]) kv.set(m[1], Number(m[2]) * 1024);
    }
  } catch {
    // fall back to what node knows
  }
  const total = kv.get('MemTotal') ?? os.totalmem();
  const free = kv.get('MemFree') ?? os.freemem();
  const available = kv.get('MemAvailable') ?? free;
  return { Total: total, Available: available, Used: total - available, Free: free };
}

function diskStats(dir: string): HostDiskStats | null {
  try {
    const st = fs.statfsSync(dir);
    const size = st.blocks * st.bsize;
    const available = st.bavail * st.bsize;
    const used = size - st.bfree * st.bsize;
    const inodesUsed = st.files > 0 ? ((st.files - st.ffree) / st.files) * 100 : 0;
    return { Device: '', Mountpoint: dir, Size: size, Used: used, Available: available, UsedPercent: size > 0 ? (used / size) * 100 : 0, InodesUsedPercent: inodesUsed };
  } catch {
    return null;
  }
}

function cpuMHz(): number {
  const speeds = os.cpus().map((c) => c.speed).filter((s) => s > 0);
  return speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : 0;
}

export class HostStatsCollector {
  private last: Map<string, CpuTimes> | undefined;

  constructor(private readonly allocDir: () => string) {}

  collect(): HostStats {
    const now = readCpuTimes();
    const prev = this.last;
    this.last = now;
    const cpus: HostCpuStats[] = [];
    let busyTicksFraction = 0;
    for (const [name, cur] of now) {
      const p = prev?.get(name) ?? { user: 0, system: 0, idle: 0, total: 0 };
      const dt = cur.total - p.total;
      const pct = (v: number): number => (dt > 0 ? (v / dt) * 100 : 0);
      const user = pct(cur.user - p.user);
      const system = pct(cur.system - p.system);
      cpus.push({ CPU: name, User: user, System: system, Idle: pct(cur.idle - p.idle), Total: user + system });
      busyTicksFraction += (user + system) / 100;
    }
    let uptime = os.uptime();
    try {
      uptime = Math.floor(Number(fs.readFileSync('/proc/uptime', 'latin1').split(' ')[0]));
    } catch {
      // os.uptime() it is
    }
    const alloc = diskStats(this.allocDir());
    return {
      Memory: readMemory(),
      CPU: cpus,
      DiskStats: alloc ? [alloc] : [],
      AllocDirStats: alloc,
      DeviceStats: [],
      Uptime: uptime,
      Timestamp: Date.now() * 1_000_000,
      CPUTicksConsumed: busyTicksFraction * cpuMHz(),
    };
  }
}

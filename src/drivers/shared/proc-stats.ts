// Resource usage of a task's process tree from /proc, in Nomad's TaskResourceUsage shape, as
// Nomad's executor measures a task without a cgroup (ExecutorBasicMeasured*: RSS and Swap;
// System Mode, User Mode and Percent). CPU percentages are of one core, over the interval since
// the previous sample (or since the task started, for the first one).
import fs from 'node:fs';
import type { ResourceUsage } from '../driver.js';
import { CLOCK_TICKS_PER_SECOND, readProcMemory, readProcStat, taskProcesses, uptimeSeconds } from './proc.js';

const MEASURED_MEMORY = ['RSS', 'Swap'];
const MEASURED_CPU = ['System Mode', 'User Mode', 'Percent'];

let mhzPerCore: number | undefined;
/** The CPU's clock in MHz (Nomad's TotalTicks are MHz-weighted); 0 when /proc/cpuinfo lacks it. */
export function cpuMHzPerCore(): number {
  if (mhzPerCore === undefined) {
    try {
      const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(fs.readFileSync('/proc/cpuinfo', 'latin1'));
      mhzPerCore = m ? Number(m[1]) : 0;
    } catch {
      mhzPerCore = 0;
    }
  }
  return mhzPerCore;
}

interface CpuSample {
  user: number;
  system: number;
  atMs: number;
}

/** Samples one task's tree; keeps the previous sample so that percentages cover an interval. */
export class ProcessTreeSampler {
  private last: CpuSample | undefined;

  constructor(
    private readonly rootPid: number,
    private readonly pgid: number,
  ) {}

  sample(nowMs = Date.now()): ResourceUsage {
    const procs = taskProcesses(this.rootPid, this.pgid);
    let rss = 0;
    let swap = 0;
    let user = 0;
    let system = 0;
    for (const p of procs) {
      const mem = readProcMemory(p.pid);
      rss += mem.rss;
      swap += mem.swap;
      user += p.utime;
      system += p.stime;
    }
    let prev = this.last;
    if (!prev) {
      // First sample: the average since the task started.
      const root = readProcStat(this.rootPid);
      const ageMs = root ? (uptimeSeconds() - root.startTicks / CLOCK_TICKS_PER_SECOND) * 1000 : 0;
      prev = { user: 0, system: 0, atMs: nowMs - Math.max(ageMs, 1) };
    }
    const seconds = Math.max((nowMs - prev.atMs) / 1000, 0.001);
    const pct = (ticks: number): number => Math.max(0, (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100);
    const userPct = pct(user - prev.user);
    const systemPct = pct(system - prev.system);
    const percent = userPct + systemPct;
    this.last = { user, system, atMs: nowMs };
    return {
      MemoryStats: { RSS: rss, Cache: 0, Swap: swap, Usage: 0, MaxUsage: 0, KernelUsage: 0, KernelMaxUsage: 0, Measured: MEASURED_MEMORY },
      CpuStats: {
        SystemMode: systemPct,
        UserMode: userPct,
        TotalTicks: (percent / 100) * cpuMHzPerCore(),
        ThrottledPeriods: 0,
        ThrottledTime: 0,
        Percent: percent,
        Measured: MEASURED_CPU,
      },
      Timestamp: nowMs * 1_000_000,
    };
  }
}

/** A usage record with nothing measured (a task that has exited, or a driver without processes). */
export function emptyUsage(nowMs = Date.now()): ResourceUsage {
  return {
    MemoryStats: { RSS: 0, Cache: 0, Swap: 0, Usage: 0, MaxUsage: 0, KernelUsage: 0, KernelMaxUsage: 0, Measured: [] },
    CpuStats: { SystemMode: 0, UserMode: 0, TotalTicks: 0, ThrottledPeriods: 0, ThrottledTime: 0, Percent: 0, Measured: [] },
    Timestamp: nowMs * 1_000_000,
  };
}

// Docker's container stats (GET /containers/:id/stats, cgroup v1 fields) in Nomad's
// TaskResourceUsage shape. CPU percentages are of one core, over the interval since the previous
// sample of the same task (or since the container started, for the first).
import type { ResourceUsage } from '../driver.js';

export interface CpuSample {
  totalNs: number;
  atMs: number;
}

interface DockerStats {
  read?: string;
  memory_stats?: { usage?: number; max_usage?: number; stats?: Record<string, number> };
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; usage_in_kernelmode?: number; usage_in_usermode?: number };
    throttling_data?: { throttled_periods?: number; throttled_time?: number };
  };
}

const MEASURED_MEMORY = ['RSS', 'Cache', 'Swap', 'Usage', 'Max Usage'];
const MEASURED_CPU = ['Throttled Periods', 'Throttled Time', 'Percent'];

/** Converts one stats record; `prev` is the last sample (or the container's start with 0 ns). */
export function toResourceUsage(raw: unknown, prev: CpuSample, nowMs: number, mhzPerCore: number): { usage: ResourceUsage; sample: CpuSample } {
  const s = (raw ?? {}) as DockerStats;
  const mem = s.memory_stats ?? {};
  const ms = mem.stats ?? {};
  const cpu = s.cpu_stats?.cpu_usage ?? {};
  const total = cpu.total_usage ?? 0;
  const seconds = Math.max((nowMs - prev.atMs) / 1000, 0.001);
  const pctOf = (ns: number): number => Math.max(0, (ns / 1e9 / seconds) * 100);
  const percent = pctOf(total - prev.totalNs);
  const userShare = total > 0 ? (cpu.usage_in_usermode ?? 0) / total : 0;
  const kernelShare = total > 0 ? (cpu.usage_in_kernelmode ?? 0) / total : 0;
  return {
    sample: { totalNs: total, atMs: nowMs },
    usage: {
      MemoryStats: {
        RSS: ms.rss ?? ms.total_rss ?? 0,
        Cache: ms.cache ?? ms.total_cache ?? 0,
        Swap: ms.swap ?? ms.total_swap ?? 0,
        Usage: mem.usage ?? 0,
        MaxUsage: mem.max_usage ?? 0,
        KernelUsage: 0,
        KernelMaxUsage: 0,
        Measured: MEASURED_MEMORY,
      },
      CpuStats: {
        SystemMode: percent * kernelShare,
        UserMode: percent * userShare,
        TotalTicks: (percent / 100) * mhzPerCore,
        ThrottledPeriods: s.cpu_stats?.throttling_data?.throttled_periods ?? 0,
        ThrottledTime: s.cpu_stats?.throttling_data?.throttled_time ?? 0,
        Percent: percent,
        Measured: MEASURED_CPU,
      },
      Timestamp: nowMs * 1_000_000,
    },
  };
}

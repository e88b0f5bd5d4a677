// Reading Linux's /proc for the process drivers: one process's stat line, liveness guarded by the
// start time (PIDs are reused, pid_max may be as low as 32768), and the process tree below a PID.
// Read-only; it never signals anything.
import fs from 'node:fs';

/** USER_HZ: the unit of /proc/<pid>/stat times. 100 on every Linux architecture Roam runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  /** R, S, D, Z (zombie), T, … */
  state: string;
  ppid: number;
  pgrp: number;
  /** User and system CPU time, in clock ticks. */
  utime: number;
  stime: number;
  /** Start time in clock ticks since boot. */
  startTicks: number;
}

/** Parses /proc/<pid>/stat; undefined when the process does not exist. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  return parseProcStat(pid, text);
}

export function parseProcStat(pid: number, text: string): ProcStat | undefined {
  // comm (field 2) is in parentheses and may itself contain spaces or ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  const num = (field: number): number => Number(f[field - 3] ?? 'NaN');
  const st: ProcStat = { pid, state: f[0] ?? '?', ppid: num(4), pgrp: num(5), utime: num(14), stime: num(15), startTicks: num(22) };
  return Number.isFinite(st.startTicks) ? st : undefined;
}

/**
 * True when `pid` is a live (non-zombie) process that started at `startTicks`. A zombie counts as
 * gone: it has exited, only its parent has not collected it (orphans of a dead agent are
 * reparented to PID 1, which does not reap in every container).
 */
export function isSameProcessAlive(pid: number, startTicks: number): boolean {
  const st = readProcStat(pid);
  return st !== undefined && st.state !== 'Z' && st.state !== 'X' && st.startTicks === startTicks;
}

/** Every process's stat line (one pass over /proc). */
export function readAllProcStats(): ProcStat[] {
  const out: ProcStat[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const st = readProcStat(Number(name));
    if (st) out.push(st);
  }
  return out;
}

/**
 * The live processes of a task: `root` and its descendants, plus anything still in the task's
 * process group (a child that was reparented when its parent died). Zombies are left out.
 */
export function taskProcesses(root: number, pgid: number): ProcStat[] {
  const all = readAllProcStats();
  const children = new Map<number, ProcStat[]>();
  for (const st of all) {
    let list = children.get(st.ppid);
    if (!list) children.set(st.ppid, (list = []));
    list.push(st);
  }
  const picked = new Map<number, ProcStat>();
  const stack: ProcStat[] = all.filter((s) => s.pid === root || s.pgrp === pgid);
  while (stack.length > 0) {
    const st = stack.pop();
    if (!st || picked.has(st.pid)) continue;
    picked.set(st.pid, st);
    for (const c of children.get(st.pid) ?? []) stack.push(c);
  }
  return [...picked.values()].filter((s) => s.state !== 'Z' && s.state !== 'X');
}

/** Resident and swapped memory of one process in bytes, from /proc/<pid>/status (0 when gone). */
export function readProcMemory(pid: number): { rss: number; swap: number } {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return { rss: 0, swap: 0 };
  }
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), swap: kb('VmSwap') };
}

/** Seconds since boot, from /proc/uptime. */
export function uptimeSeconds(): number {
  try {
    return Number(fs.readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  } catch {
    return 0;
  }
}

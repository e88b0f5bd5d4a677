// Test fixtures for drivers: an allocation directory laid out as Nomad's client lays it out
// (alloc/{logs,data,tmp}, <task>/{local,secrets,tmp,private}) under a temp dir, TaskConfigs with
// the NOMAD_* environment pointing into it, and a janitor that kills what a test started — by PID
// and start time, never by name — and removes the temp dirs. For tests only.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DriverCapabilities, LogSettings, TaskConfig, TaskDirs } from './driver.js';
import { readAllProcStats, readProcStat } from './shared/proc.js';

/** Creates <root>/<allocID> with the shared alloc dir and one task's dirs; returns their paths. */
export function makeTaskDirs(root: string, allocID: string, task: string): TaskDirs {
  const allocDir = path.join(root, allocID);
  const sharedAllocDir = path.join(allocDir, 'alloc');
  const dir = path.join(allocDir, task);
  const dirs: TaskDirs = {
    allocDir,
    sharedAllocDir,
    logDir: path.join(sharedAllocDir, 'logs'),
    dir,
    localDir: path.join(dir, 'local'),
    secretsDir: path.join(dir, 'secrets'),
    tmpDir: path.join(dir, 'tmp'),
    privateDir: path.join(dir, 'private'),
  };
  for (const d of [dirs.logDir, path.join(sharedAllocDir, 'data'), path.join(sharedAllocDir, 'tmp'), dirs.localDir, dirs.secretsDir, dirs.tmpDir, dirs.privateDir]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.chmodSync(dir, 0o777);
  fs.chmodSync(dirs.tmpDir, 0o1777);
  return dirs;
}

/** The NOMAD_* directory variables as the task sees them: host paths without FS isolation. */
export function taskDirEnv(dirs: TaskDirs, isolation: DriverCapabilities['fsIsolation']): Record<string, string> {
  if (isolation === 'none') {
    return { NOMAD_ALLOC_DIR: dirs.sharedAllocDir, NOMAD_TASK_DIR: dirs.localDir, NOMAD_SECRETS_DIR: dirs.secretsDir };
  }
  return { NOMAD_ALLOC_DIR: '/alloc', NOMAD_TASK_DIR: '/local', NOMAD_SECRETS_DIR: '/secrets' };
}

export interface TaskConfigOptions {
  name?: string;
  config: Record<string, unknown>;
  env?: Record<string, string>;
  logs?: Partial<LogSettings>;
  killSignal?: string;
  killTimeoutMs?: number;
  user?: string;
  isolation?: DriverCapabilities['fsIsolation'];
}

/** A TaskConfig for a fresh allocation under `root`, as the client would build it. */
export function makeTaskConfig(root: string, opts: TaskConfigOptions): TaskConfig {
  const allocID = `${randomBytes(4).toString('hex')}-0000-4000-8000-${randomBytes(6).toString('hex')}`;
  const name = opts.name ?? 'web';
  const dirs = makeTaskDirs(root, allocID, name);
  return {
    id: `${allocID}/${name}/${randomBytes(4).toString('hex')}`,
    allocID,
    name,
    jobID: 'conformance',
    jobName: 'conformance',
    parentJobID: '',
    taskGroup: 'group',
    namespace: 'default',
    nodeID: '00000000-0000-4000-8000-000000000001',
    nodeName: os.hostname(),
    env: {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      NOMAD_ALLOC_ID: allocID,
      NOMAD_TASK_NAME: name,
      NOMAD_JOB_NAME: 'conformance',
      NOMAD_GROUP_NAME: 'group',
      ...taskDirEnv(dirs, opts.isolation ?? 'none'),
      ...opts.env,
    },
    config: opts.config,
    resources: { cpuShares: 100, memoryMB: 64, memoryMaxMB: 0, reservedCores: [], ports: [] },
    user: opts.user ?? '',
    dirs,
    logs: { maxFiles: 10, maxFileSizeMB: 10, disabled: false, ...opts.logs },
    killSignal: opts.killSignal ?? 'SIGINT',
    killTimeoutMs: opts.killTimeoutMs ?? 5000,
  };
}

/** Temp dirs and processes a test made; `cleanup()` removes and kills them. */
export class Janitor {
  private readonly dirs: string[] = [];
  private readonly procs = new Map<number, number>();

  tempDir(prefix = 'roam-driver-'): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  /**
   * Remembers a process (and its process group) to kill at cleanup, guarded by its start time
   * (read now unless given: a process that has already exited needs it given).
   */
  trackPid(pid: number, startTicks?: number): void {
    const start = startTicks ?? readProcStat(pid)?.startTicks;
    if (start !== undefined) this.procs.set(pid, start);
  }

  /** Every live member of a tracked process's group, plus the process. */
  liveProcesses(): number[] {
    const out: number[] = [];
    const all = readAllProcStats().filter((s) => s.state !== 'Z');
    for (const [pid, start] of this.procs) {
      for (const s of all) if ((s.pid === pid && s.startTicks === start) || s.pgrp === pid) out.push(s.pid);
    }
    return out;
  }

  cleanup(): void {
    for (const [pid, start] of this.procs) {
      const st = readProcStat(pid);
      const leaderOurs = st === undefined || st.startTicks === start;
      if (!leaderOurs) continue;
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    this.procs.clear();
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Polls `fn` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => T | undefined, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The content of a file, or '' when it does not exist yet. */
export function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// The agent's side of native/roam-executor, the per-task supervisor shim: finding the binary,
// starting a task under it, the state persisted in a TaskHandle, and reading the exit file the
// shim writes. The shim — not this process — owns the task, so tasks survive agent restarts.
//
// Protocol (see the header of native/roam-executor.c):
//   roam-executor -S <stateFile> -x <exitFile> [-t <task> -l <logDir> -n <maxFiles> -s <maxBytes>]
//                 [-d <workDir>] [-u <user>] [-o <oomScoreAdj>] -- <absolute command> [args…]
//   environment: exactly the task's; started in a new session (detached), stdin/stderr ignored.
//   stdout: "ok <shimPid> <taskPid> <taskStartTicks>\n" | "error <message>\n"; later "exited\n"
//   once <exitFile> holds the status. The exit file is one JSON object (ExitFile below), written
//   atomically; the state file holds the PIDs and start times, written at start.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../../structs/assert.js';
import { DriverError } from '../driver.js';
import { readProcStat } from './proc.js';

const EXECUTOR_REL = path.join('dist', 'native', 'roam-executor');

let cachedPath: string | undefined;
/**
 * The shim binary: $ROAM_EXECUTOR, else dist/native/roam-executor in the first ancestor folder
 * of this module that has one (works from the sources and from the dist/roam.mjs bundle).
 */
export function executorPath(): string {
  const fromEnv = process.env.ROAM_EXECUTOR;
  if (fromEnv) return fromEnv;
  if (cachedPath) return cachedPath;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, EXECUTOR_REL);
    if (fs.existsSync(candidate)) return (cachedPath = candidate);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new DriverError('the task executor is not built (dist/native/roam-executor): run scripts/build-native.sh', false);
}

/** What a TaskHandle's `state` holds for a task under the shim. JSON-serializable. */
export interface ExecutorState {
  executorPid: number;
  executorStartTicks: number;
  taskPid: number;
  taskStartTicks: number;
  /** The task's process group (its PID: the shim makes it a group leader). */
  pgid: number;
  stateFile: string;
  exitFile: string;
}

export function parseExecutorState(v: unknown): ExecutorState {
  if (!isRecord(v)) throw new DriverError('invalid task handle: no driver state', false);
  const num = (k: string): number => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isSafeInteger(x)) throw new DriverError(`invalid task handle: ${k} is not an integer`, false);
    return x;
  };
  const str = (k: string): string => {
    const x = v[k];
    if (typeof x !== 'string' || x === '') throw new DriverError(`invalid task handle: ${k} is missing`, false);
    return x;
  };
  return {
    executorPid: num('executorPid'),
    executorStartTicks: num('executorStartTicks'),
    taskPid: num('taskPid'),
    taskStartTicks: num('taskStartTicks'),
    pgid: num('pgid'),
    stateFile: str('stateFile'),
    exitFile: str('exitFile'),
  };
}

export interface LaunchSpec {
  /** Absolute path of the program to run. */
  command: string;
  args: string[];
  env: Record<string, string>;
  workDir: string;
  user?: string;
  oomScoreAdj?: number;
  stateFile: string;
  exitFile: string;
  /** Omitted: the task's output goes to /dev/null (logs { disabled = true }). */
  logs?: { dir: string; task: string; maxFiles: number; maxFileSizeMB: number };
}

export interface Launched {
  state: ExecutorState;
  /** The shim as our child; gone after an agent restart. Its stdout says "exited" when done. */
  child: ChildProcess;
  /** The shim already said "exited" with its startup line (a task that ended at once). */
  exitedAlready: boolean;
  /** Resolves when the shim process has exited and been reaped by us. */
  executorExited: Promise<void>;
}

/** Starts a task under the shim; resolves once the task process exists. */
export async function launchExecutor(spec: LaunchSpec): Promise<Launched> {
  const args = ['-S', spec.stateFile, '-x', spec.exitFile, '-d', spec.workDir];
  if (spec.logs) {
    args.push('-t', spec.logs.task, '-l', spec.logs.dir, '-n', String(spec.logs.maxFiles), '-s', String(Math.round(spec.logs.maxFileSizeMB * 1024 * 1024)));
  }
  if (spec.user) args.push('-u', spec.user);
  if (spec.oomScoreAdj !== undefined) args.push('-o', String(spec.oomScoreAdj));
  args.push('--', spec.command, ...spec.args);
  // Stale files from a previous run of the same task would be mistaken for this one's.
  for (const f of [spec.exitFile, spec.stateFile]) fs.rmSync(f, { force: true });

  const child = spawn(executorPath(), args, { detached: true, env: spec.env, stdio: ['ignore', 'pipe', 'ignore'] });
  const executorExited = new Promise<void>((r) => child.once('exit', () => r()));
  const { line, rest } = await firstLine(child);
  const m = /^ok (\d+) (\d+) (\d+)$/.exec(line);
  if (!m) {
    child.stdout?.destroy();
    if (line.startsWith('error ')) throw new DriverError(line.slice(6), false);
    throw new DriverError(`task executor failed to start${line ? `: ${line}` : ''}`);
  }
  const executorPid = Number(m[1]);
  const taskPid = Number(m[2]);
  return {
    child,
    exitedAlready: rest.includes('exited'),
    executorExited,
    state: {
      executorPid,
      executorStartTicks: readProcStat(executorPid)?.startTicks ?? 0,
      taskPid,
      taskStartTicks: Number(m[3]),
      pgid: taskPid,
      stateFile: spec.stateFile,
      exitFile: spec.exitFile,
    },
  };
}

function firstLine(child: ChildProcess): Promise<{ line: string; rest: string }> {
  return new Promise((resolve) => {
    let buf = '';
    const out = child.stdout;
    let settled = false;
    const done = (line: string, rest: string): void => {
      if (settled) return;
      settled = true;
      out?.off('data', onData);
      resolve({ line: line.trim(), rest });
    };
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl), buf.slice(nl + 1));
    };
    out?.on('data', onData);
    child.once('error', (e) => done(`error ${e.message}`, ''));
    child.once('close', () => done(buf, ''));
  });
}

/** The exit file's content. */
export interface ExitFile {
  taskPid: number;
  taskStartTicks: number;
  exitCode: number;
  signal: number;
  oomKilled: boolean;
  startedAt: number;
  completedAt: number;
}

/** Reads the exit file; undefined when absent, unreadable, or about another task instance. */
export function readExitFile(state: ExecutorState): ExitFile | undefined {
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(state.exitFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(v) || v.taskPid !== state.taskPid || v.taskStartTicks !== state.taskStartTicks) return undefined;
  const n = (k: string): number => (typeof v[k] === 'number' ? v[k] : 0);
  return {
    taskPid: state.taskPid,
    taskStartTicks: state.taskStartTicks,
    exitCode: n('exitCode'),
    signal: n('signal'),
    oomKilled: v.oomKilled === true,
    startedAt: n('startedAt'),
    completedAt: n('completedAt'),
  };
}

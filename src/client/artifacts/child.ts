// The child processes a download needs (git, bzip2, xz, zstd) and the environment they get.
// They never see the agent's environment — its tokens and credentials stay in the agent: a child
// gets Nomad's minimal environment (PATH, HOME, TMPDIR in the task's tmp dir) plus the variables
// the operator listed in `set_environment_variables`. Each child runs in its own process group
// so that a timeout or a killed task ends it and everything it started (git's remote helpers, ssh).
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { inheritedNames } from './config.js';
import { errnoCode } from './resolve.js';

/** Nomad's defaultEnvironment (Linux) plus the inherited names; nothing else from `agentEnv`. */
export function childEnv(taskDir: string, inherit: string, agentEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', TMPDIR: path.join(taskDir, 'tmp'), HOME: os.homedir() };
  for (const name of inheritedNames(inherit)) env[name] = agentEnv[name] ?? '';
  return env;
}

export interface ChildResult {
  stdout: string;
  stderr: string;
}

/** The most output kept from a child (its error messages); the rest is dropped. */
const OUTPUT_CAP = 64 * 1024;

export class ChildError extends Error {}

/** Kills a child's whole process group (it was started detached, so its PID is the group's). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `cmd args…` to completion with `env`; rejects with its stderr when it fails, and kills it
 * (and its group) when `signal` aborts. `what` names the step in errors ("git clone").
 */
export function runChild(what: string, cmd: string, args: string[], opts: { env: Record<string, string>; cwd?: string; signal?: AbortSignal | undefined }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ChildError(`${what}: ${abortReason(opts.signal)}`));
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-OUTPUT_CAP)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-OUTPUT_CAP)));
    const onAbort = (): void => killGroup(child);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new ChildError(`${what}: ${errnoCode(err) === 'ENOENT' ? `${cmd} is not installed on this client (not found on PATH)` : err.message}`));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(new ChildError(`${what}: ${abortReason(opts.signal)}`));
      if (code === 0) return resolve({ stdout, stderr });
      const detail = stderr.trim() || stdout.trim();
      reject(new ChildError(`${what} failed (${code !== null ? `exit status ${code}` : `signal ${sig ?? '?'}`})${detail ? `: ${detail}` : ''}`));
    });
  });
}

/** The message of an aborted download: the reason's message (a timeout says which), else "canceled". */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'canceled';
}

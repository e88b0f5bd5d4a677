// Runs the real `roam` binary for end-to-end tests: CLI invocations and agents started as child
// processes on free ports, stopped by PID (never by name) with their temp directories removed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const roamBin = path.join(repoRoot, 'bin', 'roam');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `roam ARGS…` to completion. */
export function roam(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [roamBin, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    input: opts.input ?? '',
    cwd: opts.cwd ?? repoRoot,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningAgent {
  address: string;
  port: number;
  proc: ChildProcess;
  dir: string;
  output(): string;
  /** SIGINT, wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `roam agent ARGS…` with its HTTP port on a free loopback port, and waits until it answers. */
export async function startAgent(args: string[] = ['-dev'], extraConfig: Record<string, unknown> = {}): Promise<RunningAgent> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-test-agent-'));
  const cfg = path.join(dir, 'ports.json');
  fs.writeFileSync(cfg, JSON.stringify({ ports: { http: port }, ...extraConfig }));
  const proc = spawn(process.execPath, [roamBin, 'agent', ...args, '-config', cfg], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const address = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`agent exited early (${proc.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${address}/v1/agent/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`agent did not become healthy in 20s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    port,
    proc,
    dir,
    output: () => out,
    async stop(signal = 'SIGINT') {
      if (proc.exitCode === null && proc.pid !== undefined) process.kill(proc.pid, signal);
      const timer = setTimeout(() => proc.pid !== undefined && proc.exitCode === null && process.kill(proc.pid, 'SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

// Running a command beside a task for drivers without isolation (raw_exec): `alloc exec` and
// script checks. With `tty` the command gets a pseudo-terminal from node-pty; otherwise plain
// pipes. The command runs in the task's environment and working directory, as the task's user.
// It is killed when the caller aborts; nothing outlives the returned promise.
import { spawn } from 'node:child_process';
import type { IPty } from 'node-pty';
import type { ExecOptions, ExitResult } from '../driver.js';
import { DriverError } from '../driver.js';
import { parseSignal } from './signals.js';

export interface ExecContext {
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

export async function runExec(ctx: ExecContext, opts: ExecOptions): Promise<ExitResult> {
  const [file, ...args] = opts.command;
  if (!file) throw new DriverError('exec: no command given', false);
  if (opts.signal?.aborted) throw new DriverError('exec: aborted before it started', false);
  return opts.tty ? runPty(file, args, ctx, opts) : runPipes(file, args, ctx, opts);
}

function ids(ctx: ExecContext): { uid?: number; gid?: number } {
  const out: { uid?: number; gid?: number } = {};
  if (ctx.uid !== undefined) out.uid = ctx.uid;
  if (ctx.gid !== undefined) out.gid = ctx.gid;
  return out;
}

function runPipes(file: string, args: string[], ctx: ExecContext, opts: ExecOptions): Promise<ExitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ctx.cwd, env: ctx.env, stdio: ['pipe', 'pipe', 'pipe'], ...ids(ctx) });
    const onAbort = (): void => void child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => opts.stdout(d));
    child.stderr.on('data', (d: Buffer) => opts.stderr(d));
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.once('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new DriverError(`failed to exec ${JSON.stringify(file)}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`, false));
    });
    child.once('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      const signal = sig ? parseSignal(sig).number : 0;
      resolve({ exitCode: code ?? 128 + signal, signal, oomKilled: false });
    });
    const stdin = opts.stdin;
    if (!stdin) {
      child.stdin.end();
      return;
    }
    void (async () => {
      try {
        for await (const chunk of stdin) {
          if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
        }
      } catch {
        // the input stream failed: close the command's stdin all the same
      }
      child.stdin.end();
    })();
  });
}

async function runPty(file: string, args: string[], ctx: ExecContext, opts: ExecOptions): Promise<ExitResult> {
  const pty = await import('node-pty');
  let term: IPty;
  try {
    term = pty.spawn(file, args, { name: ctx.env.TERM ?? 'xterm-256color', cols: 80, rows: 24, cwd: ctx.cwd, env: ctx.env, encoding: null, ...ids(ctx) });
  } catch (e) {
    throw new DriverError(`failed to exec ${JSON.stringify(file)}: ${e instanceof Error ? e.message : String(e)}`, false);
  }
  let done = false;
  const onAbort = (): void => term.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  term.onData((d: string | Buffer) => opts.stdout(typeof d === 'string' ? Buffer.from(d) : d));
  const pump = async <T>(it: AsyncIterable<T> | undefined, fn: (v: T) => void): Promise<void> => {
    if (!it) return;
    try {
      for await (const v of it) {
        if (done) break;
        fn(v);
      }
    } catch {
      // input ended badly; the terminal stays as it is
    }
  };
  void pump(opts.stdin, (chunk) => term.write(Buffer.from(chunk)));
  void pump(opts.resize, (s) => term.resize(Math.max(1, s.width), Math.max(1, s.height)));
  return new Promise((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      done = true;
      opts.signal?.removeEventListener('abort', onAbort);
      const sig = signal ?? 0;
      resolve({ exitCode: sig ? 128 + sig : exitCode, signal: sig, oomKilled: false });
    });
  });
}

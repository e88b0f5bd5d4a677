// Starting a task's docker logger (logger-main.ts) under the roam-executor shim: from the bundle
// it is dist/docker-logger.mjs next to dist/roam.mjs; from the sources (tests), logger-main.ts
// run through tsx. The shim's state and exit files live in the task dir.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskConfig } from '../driver.js';
import { DriverError } from '../driver.js';
import { launchExecutor, parseExecutorState } from '../shared/executor-client.js';
import { isSameProcessAlive } from '../shared/proc.js';
import type { ExecutorState } from '../shared/executor-client.js';

export const LOGGER_STATE_FILE = '.roam-docker-logger.json';
export const LOGGER_EXIT_FILE = '.roam-docker-logger-exit.json';

/** The command line that runs the logger: node and its arguments. */
export function loggerCommand(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = path.join(here, 'docker-logger.mjs');
  if (fs.existsSync(bundled)) return [process.execPath, bundled];
  const source = path.join(here, 'logger-main.ts');
  if (fs.existsSync(source)) return [process.execPath, '--import', import.meta.resolve('tsx'), source];
  throw new DriverError('the docker logger is not built (dist/docker-logger.mjs): run npm run build', false);
}

/**
 * The logger the shim's state file in the task dir names, if that shim still runs: after more
 * than one agent restart it may be a newer logger than the one in the persisted handle.
 */
export function runningLogger(cfg: TaskConfig): ExecutorState | undefined {
  const stateFile = path.join(cfg.dirs.dir, LOGGER_STATE_FILE);
  let state: ExecutorState;
  try {
    const raw = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    // The shim's state file has the handle's fields but the process group and its own path.
    state = parseExecutorState({ ...raw, pgid: raw.taskPid, stateFile });
  } catch {
    return undefined;
  }
  return isSameProcessAlive(state.executorPid, state.executorStartTicks) ? state : undefined;
}

/** Starts following `containerID`'s output into the task's log files; resolves once it runs. */
export async function startLogger(cfg: TaskConfig, endpoint: string, containerID: string, sinceSec: number, tty: boolean): Promise<ExecutorState> {
  const [node = process.execPath, ...args] = loggerCommand();
  const launched = await launchExecutor({
    command: node,
    args: [...args, endpoint, containerID, String(sinceSec), tty ? '1' : '0'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    workDir: cfg.dirs.dir,
    stateFile: path.join(cfg.dirs.dir, LOGGER_STATE_FILE),
    exitFile: path.join(cfg.dirs.dir, LOGGER_EXIT_FILE),
    logs: { dir: cfg.dirs.logDir, task: cfg.name, maxFiles: cfg.logs.maxFiles, maxFileSizeMB: cfg.logs.maxFileSizeMB },
  });
  // The shim outlives us; nothing here waits on it.
  launched.child.stdout?.resume();
  launched.child.unref();
  return launched.state;
}

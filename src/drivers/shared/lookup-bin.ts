// Where a task's `command` is found, as Nomad's executor looks it up (lookupBin): the task's
// local/ dir, the task dir, an absolute path as given, then each directory of PATH.
import fs from 'node:fs';
import path from 'node:path';
import { DriverError } from '../driver.js';

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `command`; a non-recoverable DriverError when there is none. */
export function lookupBin(command: string, taskDir: string, pathVar: string | undefined): string {
  const candidates = [path.join(taskDir, 'local', command), path.join(taskDir, command)];
  if (path.isAbsolute(command)) candidates.push(command);
  else if (!command.includes('/')) for (const dir of (pathVar ?? '').split(':')) if (dir) candidates.push(path.join(dir, command));
  for (const c of candidates) if (isExecutableFile(c)) return path.resolve(c);
  const found = candidates.find((c) => fs.existsSync(c));
  if (found) throw new DriverError(`failed to launch command: ${command}: ${found} is not an executable file`, false);
  throw new DriverError(`failed to launch command: ${command}: no such file or directory (looked in the task dir and PATH)`, false);
}

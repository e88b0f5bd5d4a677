// The allocation directory exactly as Nomad lays it out (client/allocdir):
//   <alloc_dir>/<alloc_id>/            0755
//     alloc/{data,logs,tmp}            shared by the group's tasks (0777)
//     <task>/{local,secrets,tmp,private}
// secrets/ is 0700 (Nomad mounts a tmpfs there when root; Roam keeps a plain 0700 directory),
// tmp/ is sticky 0777. It owns creating and removing these directories and nothing else.
import fs from 'node:fs';
import path from 'node:path';
import type { TaskDirs } from '../drivers/driver.js';

export const SHARED_ALLOC_NAME = 'alloc';
export const SHARED_DATA_DIR = 'data';
export const LOG_DIR_NAME = 'logs';
export const TMP_DIR_NAME = 'tmp';
export const TASK_LOCAL = 'local';
export const TASK_SECRETS = 'secrets';
export const TASK_PRIVATE = 'private';

function mkdir(p: string, mode: number): void {
  fs.mkdirSync(p, { recursive: true });
  // mkdir's mode is filtered by the umask; Nomad sets the exact mode afterwards.
  fs.chmodSync(p, mode);
}

export class AllocDir {
  /** <alloc_dir>/<alloc_id> */
  readonly dir: string;
  /** <alloc_dir>/<alloc_id>/alloc */
  readonly sharedDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly tmpDir: string;

  constructor(
    readonly root: string,
    readonly allocID: string,
  ) {
    this.dir = path.join(root, allocID);
    this.sharedDir = path.join(this.dir, SHARED_ALLOC_NAME);
    this.dataDir = path.join(this.sharedDir, SHARED_DATA_DIR);
    this.logDir = path.join(this.sharedDir, LOG_DIR_NAME);
    this.tmpDir = path.join(this.sharedDir, TMP_DIR_NAME);
  }

  /** Creates the alloc dir and its shared directories (idempotent). */
  build(): void {
    mkdir(this.dir, 0o755);
    mkdir(this.sharedDir, 0o777);
    for (const d of [this.dataDir, this.logDir, this.tmpDir]) mkdir(d, 0o777);
  }

  /** The paths of a task's directories (nothing is created). */
  taskDirs(task: string): TaskDirs {
    const dir = path.join(this.dir, task);
    return {
      allocDir: this.dir,
      sharedAllocDir: this.sharedDir,
      logDir: this.logDir,
      dir,
      localDir: path.join(dir, TASK_LOCAL),
      secretsDir: path.join(dir, TASK_SECRETS),
      tmpDir: path.join(dir, TMP_DIR_NAME),
      privateDir: path.join(dir, TASK_PRIVATE),
    };
  }

  /** Creates a task's directories (idempotent) and returns their paths. */
  buildTaskDir(task: string): TaskDirs {
    const d = this.taskDirs(task);
    mkdir(d.dir, 0o777);
    mkdir(d.localDir, 0o777);
    mkdir(d.secretsDir, 0o700);
    mkdir(d.tmpDir, 0o1777);
    mkdir(d.privateDir, 0o700);
    return d;
  }

  exists(): boolean {
    return fs.existsSync(this.dir);
  }

  /** Removes the whole alloc dir (after its tasks are gone). */
  destroy(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Resolves a path a user asked for inside the alloc dir; refuses anything that escapes it. */
  resolve(rel: string): string {
    const p = path.resolve(this.dir, `.${path.sep}${rel}`);
    if (p !== this.dir && !p.startsWith(this.dir + path.sep)) throw new Error(`path ${JSON.stringify(rel)} escapes the allocation directory`);
    return p;
  }
}

// logsHook: the task's log settings for the driver — rotated files alloc/logs/<task>.stdout.N and
// .stderr.N, at most max_files of max_file_size MB (Nomad's logmon; in Roam the driver's executor
// writes and rotates them so logs keep flowing while the agent is down). Ensures the log dir exists.
import fs from 'node:fs';
import type { TaskHook, TaskHookContext } from '../hook.js';

export const DEFAULT_LOG_MAX_FILES = 10;
export const DEFAULT_LOG_MAX_FILE_SIZE_MB = 10;

export const logsHook: TaskHook = {
  name: 'logs',
  prestart(ctx: TaskHookContext): Promise<void> {
    const lc = ctx.task.LogConfig;
    fs.mkdirSync(ctx.taskDirs.logDir, { recursive: true });
    ctx.resources.logs = {
      maxFiles: lc?.MaxFiles && lc.MaxFiles > 0 ? lc.MaxFiles : DEFAULT_LOG_MAX_FILES,
      maxFileSizeMB: lc?.MaxFileSizeMB && lc.MaxFileSizeMB > 0 ? lc.MaxFileSizeMB : DEFAULT_LOG_MAX_FILE_SIZE_MB,
      disabled: lc?.Disabled ?? false,
    };
    return Promise.resolve();
  },
};

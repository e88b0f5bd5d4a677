// dispatchPayloadHook: writes a dispatched job's payload into the task's local/ directory, at the
// file the task's `dispatch_payload { file = "…" }` names (Nomad's dispatchHook). The path may not
// leave local/. Runs once per task (the payload never changes).
import fs from 'node:fs';
import path from 'node:path';
import type { PrestartResult, TaskHook, TaskHookContext } from '../hook.js';

export const dispatchPayloadHook: TaskHook = {
  name: 'dispatch_payload',
  prestart(ctx: TaskHookContext): Promise<PrestartResult> {
    const file = ctx.task.DispatchPayload?.File;
    const payload = ctx.alloc.Job?.Payload;
    if (!file || !payload) return Promise.resolve({ done: true });
    const local = path.resolve(ctx.taskDirs.localDir);
    const dest = path.resolve(local, file);
    if (!dest.startsWith(local + path.sep)) {
      return Promise.reject(new Error(`dispatch_payload file ${JSON.stringify(file)} escapes the task's local directory`));
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, Buffer.from(payload, 'base64'), { mode: 0o644 });
    return Promise.resolve({ done: true });
  },
};

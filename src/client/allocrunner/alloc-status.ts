// The allocation's client status derived from its task states, as Nomad's allocRunner
// getClientStatus does: any failed task → failed; else any running → running; else any pending →
// pending; else all dead → complete.
import type { AllocClientStatus, TaskState } from '../../structs/alloc.js';

export function clientStatusFromTasks(states: Readonly<Record<string, TaskState>>): { status: AllocClientStatus | ''; description: string } {
  let pending = false;
  let running = false;
  let dead = false;
  let failed = false;
  for (const s of Object.values(states)) {
    if (s.State === 'running') running = true;
    else if (s.State === 'pending') pending = true;
    else if (s.State === 'dead') {
      if (s.Failed) failed = true;
      else dead = true;
    }
  }
  if (failed) return { status: 'failed', description: 'Failed tasks' };
  if (running) return { status: 'running', description: 'Tasks are running' };
  if (pending) return { status: 'pending', description: 'No tasks have started' };
  if (dead) return { status: 'complete', description: 'All tasks have completed' };
  return { status: '', description: '' };
}

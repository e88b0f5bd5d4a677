// The task lifecycle coordinator (Nomad's allocrunner/tasklifecycle): gates each task's start by
// its lifecycle stage — prestart tasks first; main tasks once every non-sidecar prestart task has
// completed successfully and every prestart sidecar runs; poststart tasks once every main task has
// started; poststop tasks once every main task is dead. Gates only open; it decides nothing else.
import type { TaskState } from '../../structs/alloc.js';
import type { Task } from '../../structs/job.js';
import { Latch } from '../async.js';

export type LifecycleStage = 'prestart-ephemeral' | 'prestart-sidecar' | 'main' | 'poststart' | 'poststop';

export function lifecycleStage(task: Task): LifecycleStage {
  switch (task.Lifecycle?.Hook) {
    case 'prestart':
      return task.Lifecycle.Sidecar ? 'prestart-sidecar' : 'prestart-ephemeral';
    case 'poststart':
      return 'poststart';
    case 'poststop':
      return 'poststop';
    default:
      return 'main';
  }
}

export class LifecycleCoordinator {
  private readonly gates = new Map<string, Latch>();
  private readonly stages = new Map<string, LifecycleStage>();

  constructor(tasks: readonly Task[]) {
    for (const t of tasks) {
      this.gates.set(t.Name, new Latch());
      this.stages.set(t.Name, lifecycleStage(t));
    }
  }

  /** Resolves when `task` may start. */
  gate(task: string): Promise<void> {
    return this.gates.get(task)?.promise ?? Promise.resolve();
  }

  isOpen(task: string): boolean {
    return this.gates.get(task)?.isOpen ?? true;
  }

  /** Re-evaluates the gates from the current task states (call on every task state change). */
  update(states: Readonly<Record<string, TaskState>>): void {
    const of = (stage: LifecycleStage): string[] => [...this.stages].filter(([, s]) => s === stage).map(([n]) => n);
    const st = (n: string): TaskState | undefined => states[n];
    const prestartDone =
      of('prestart-ephemeral').every((n) => st(n)?.State === 'dead' && !st(n)?.Failed) && of('prestart-sidecar').every((n) => st(n)?.State === 'running' || isStarted(st(n)));
    const mainStarted = of('main').every((n) => isStarted(st(n)));
    const mainDead = of('main').every((n) => st(n)?.State === 'dead');
    for (const [name, stage] of this.stages) {
      const open =
        stage === 'prestart-ephemeral' || stage === 'prestart-sidecar' ? true : stage === 'main' ? prestartDone : stage === 'poststart' ? prestartDone && mainStarted : mainDead;
      if (open) this.gates.get(name)?.open();
    }
  }
}

function isStarted(s: TaskState | undefined): boolean {
  return s !== undefined && s.StartedAt !== '' && !s.StartedAt.startsWith('0001-');
}

// Notices when tasks under roam-executor end. One shared timer serves every task (no timer per
// task): each tick looks for the exit file the shim writes, and every few ticks checks that the
// shim itself is still alive. Tasks started by this process also get a push: the shim writes
// "exited" on its stdout, which is a pipe to us, so they are noticed at once and the timer only
// backs that up. After an agent restart there is no such pipe and the timer does the work.
// Owns: the timer and the shims' stdout pipes; stop() releases both (tasks keep running).
import type { ChildProcess } from 'node:child_process';
import { readExitFile } from './executor-client.js';
import type { ExecutorState, ExitFile } from './executor-client.js';
import { isSameProcessAlive } from './proc.js';

export type WatchedExit = Pick<ExitFile, 'exitCode' | 'signal' | 'oomKilled' | 'completedAt'> & { error?: string };

interface Entry {
  state: ExecutorState;
  onExit: (e: WatchedExit) => void;
  child: ChildProcess | undefined;
  executorGone: boolean;
}

/** Ticks between liveness checks of recovered tasks (no push channel): about once a second. */
const SLOW_EVERY = 4;
/** Ticks between backup checks of tasks that have a push channel: about every 5 s (idle CPU stays low with hundreds of tasks). */
const PUSHED_EVERY = 20;

export class ExitWatcher {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  /** Entries without a push channel (recovered after an agent restart). */
  private unpushed = 0;

  constructor(private readonly periodMs = 250) {}

  /** Calls `onExit` once, when the task has ended (at once if it already has). */
  watch(id: string, state: ExecutorState, onExit: (e: WatchedExit) => void, child?: ChildProcess): void {
    const entry: Entry = { state, onExit, child, executorGone: false };
    const prev = this.entries.get(id);
    if (prev && !prev.child) this.unpushed--;
    this.entries.set(id, entry);
    if (!child) this.unpushed++;
    if (child) {
      child.unref();
      const out = child.stdout;
      if (out) {
        out.on('data', () => this.check(id));
        out.on('close', () => this.check(id));
        out.on('error', () => undefined);
        // The pipe must not keep the agent alive on its own.
        (out as unknown as { unref?: () => void }).unref?.();
      }
    }
    this.check(id);
    if (this.entries.has(id)) this.ensureTimer();
  }

  unwatch(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    if (!e.child) this.unpushed--;
    e.child?.stdout?.destroy();
    if (this.entries.size === 0) this.clearTimer();
  }

  /** Looks for the exit file of one task now. */
  check(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    const f = readExitFile(e.state);
    if (f) this.finish(id, e, { exitCode: f.exitCode, signal: f.signal, oomKilled: f.oomKilled, completedAt: f.completedAt });
  }

  /** Stops the timer and lets go of the pipes; the tasks and their shims keep running. */
  stop(): void {
    this.clearTimer();
    for (const e of this.entries.values()) e.child?.stdout?.destroy();
    this.entries.clear();
    this.unpushed = 0;
  }

  private finish(id: string, e: Entry, result: WatchedExit): void {
    this.unwatch(id);
    e.onExit(result);
  }

  private tick(): void {
    this.ticks++;
    const slow = this.ticks % SLOW_EVERY === 0;
    const backup = this.ticks % PUSHED_EVERY === 0;
    // Between backup checks, only recovered tasks (no push channel) need looking at.
    if (!backup && this.unpushed === 0) return;
    for (const [id, e] of [...this.entries]) {
      const due = e.child ? backup : slow;
      if (!e.child || due) this.check(id);
      if (!due || !this.entries.has(id)) continue;
      if (!e.executorGone && !isSameProcessAlive(e.state.executorPid, e.state.executorStartTicks)) {
        this.check(id); // it may have written the file just before leaving
        if (!this.entries.has(id)) continue;
        e.executorGone = true;
      }
      // Without its shim nobody can collect the task's status; report it once the task is gone.
      if (e.executorGone && !isSameProcessAlive(e.state.taskPid, e.state.taskStartTicks)) {
        this.finish(id, e, { exitCode: -1, signal: 0, oomKilled: false, completedAt: Date.now(), error: 'the task executor exited without recording the exit status' });
      }
    }
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.periodMs);
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

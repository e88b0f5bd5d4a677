// A clock for server tests whose time moves only when told: the server's timers (periodic
// launches, variable lock TTLs) are set on it and fire in order as time passes them, while the
// server's real asynchronous work (writer, watch, loops) gets to run in between.
import type { Clock } from '../../src/server/periodic.js';

/** Time that moves only when told; timers fire in order as it passes them. */
export class FakeClock implements Clock {
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + Math.max(0, ms), seq: ++this.seq, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time forward by `ms`, firing each timer `lagMs` after its instant and letting the server react. */
  async advance(ms: number, lagMs = 0): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.t = Math.min(target, next.at + lagMs);
      next.fn();
    }
    this.t = target;
    await settle();
  }
}

/** Lets the dispatcher's loop and the writer run (real time; the memory KV is fast). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
}

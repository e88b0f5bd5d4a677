// What a re-render asks of the task, and when (Nomad's TaskTemplateManager.onTemplateRendered and
// consul-template's quiescence), kept pure so the rules are tested without a task or a clock:
//   - templates that re-rendered together coalesce into one action: a restart if any of them has
//     change_mode "restart" (it wins: the restarted task reads every new file), otherwise each
//     distinct change_signal once and every change_script; noop templates ask for nothing;
//   - the action waits a random time up to the largest splay among those templates;
//   - a template with `wait { min, max }` (or the client's default wait) renders only once its
//     data has been quiet for `min`, but never later than `max` after the first change, with the
//     template's values clamped to the client's wait_bounds.
import type { ChangeScript, Template as TaskTemplate, WaitConfig } from '../../../structs/job.js';

export interface ChangeAction {
  restart: boolean;
  /** Distinct change_signal values, in first-seen order (empty when restarting). */
  signals: string[];
  /** The change_scripts to run (empty when restarting). */
  scripts: ChangeScript[];
  /** The largest splay among the changed templates, in nanoseconds. */
  splayNs: number;
}

/** The action for templates that re-rendered together; null when none of them asks for one. */
export function planChangeAction(changed: readonly TaskTemplate[]): ChangeAction | null {
  let restart = false;
  const signals: string[] = [];
  const scripts: ChangeScript[] = [];
  let splayNs = 0;
  for (const t of changed) {
    switch (t.ChangeMode) {
      case 'restart':
        restart = true;
        break;
      case 'signal': {
        const sig = (t.ChangeSignal || 'SIGHUP').toUpperCase();
        if (!signals.includes(sig)) signals.push(sig);
        break;
      }
      case 'script':
        if (t.ChangeScript) scripts.push(t.ChangeScript);
        break;
      default:
        continue; // noop: its splay does not delay the others
    }
    splayNs = Math.max(splayNs, t.Splay);
  }
  if (!restart && signals.length === 0 && scripts.length === 0) return null;
  return restart ? { restart, signals: [], scripts: [], splayNs } : { restart, signals, scripts, splayNs };
}

/** How long to wait before acting: uniform in [0, splay), as Nomad's rand.Int63n(splay). */
export function splayDelayMs(splayNs: number, random: () => number): number {
  if (splayNs <= 0) return 0;
  return Math.floor(random() * splayNs) / 1e6;
}

/** The client's `template` settings that shape re-rendering (agent config `client { template { … } }`). */
export interface ClientTemplateConfig {
  /** Default quiescence for templates without their own `wait`. */
  wait?: { minMs: number; maxMs: number };
  /** Bounds a template's own `wait` is clamped to. */
  waitBounds?: { minMs?: number; maxMs?: number };
}

/** A template's effective quiescence in ms, or null when it renders at once. */
export function effectiveWait(wait: WaitConfig | null, client: ClientTemplateConfig = {}): { minMs: number; maxMs: number } | null {
  if (!wait) return client.wait ?? null;
  let minMs = (wait.Min ?? 0) / 1e6;
  let maxMs = wait.Max === null ? minMs * 4 : wait.Max / 1e6; // consul-template: max defaults to 4×min
  const b = client.waitBounds;
  if (b?.minMs !== undefined && minMs < b.minMs) minMs = b.minMs;
  if (b?.maxMs !== undefined && maxMs > b.maxMs) maxMs = b.maxMs;
  if (minMs <= 0 && maxMs <= 0) return null;
  return { minMs, maxMs: Math.max(minMs, maxMs) };
}

/** Timers as the manager uses them (injected in tests). */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * One template's quiescence timer (consul-template's quiescence): the first tick arms `min` and
 * sets the deadline `max` from now; each further tick re-arms `min`, or what is left until the
 * deadline when that comes first. `fire` runs once per armed period.
 */
export class Quiescence {
  private handle: unknown = undefined;
  private deadline = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly timers: Timers,
    private readonly fire: () => void,
  ) {}

  get armed(): boolean {
    return this.handle !== undefined;
  }

  tick(): void {
    const now = this.timers.now();
    if (this.handle === undefined) {
      this.deadline = now + this.maxMs;
      this.arm(this.minMs);
      return;
    }
    this.timers.clearTimeout(this.handle);
    const left = this.deadline - now;
    this.arm(now + this.minMs < this.deadline ? this.minMs : Math.max(0, left));
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private arm(ms: number): void {
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.fire();
    }, ms);
  }
}

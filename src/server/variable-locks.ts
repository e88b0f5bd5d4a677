// Variable lock timers (leader only), as Nomad's lock.TTLTimer and Server.CreateVariableLockTTLTimer
// keep them: a held lock gets a timer of twice its TTL (grace for the holder's network and
// processing delays — the promise is only that a lock is not lost before its TTL); a renewal re-arms
// it. When it fires, the lock stays on the variable for its lock-delay — nobody can acquire or renew
// it meanwhile — and then the server releases it (a write through the normal write path, retried
// with backoff). Timers live in memory only: when the server becomes leader every locked variable
// gets a fresh timer (a restart extends a lease, it never cuts one short), as restoreLockTTLTimers.
// This module owns the timers; it never writes state itself (the release callback does).
import type { Nanos } from '../structs/duration.js';
import type { Logger } from '../structs/logger.js';
import type { Clock } from './periodic.js';

/** A lock held on one variable, with its durations in nanoseconds. */
export interface HeldLock {
  namespace: string;
  path: string;
  id: string;
  ttl: Nanos;
  delay: Nanos;
}

/** Nomad's grace factor: the server waits twice the TTL for a renewal. */
export const LOCK_TTL_GRACE_FACTOR = 2;
const RELEASE_ATTEMPTS = 6;
const RELEASE_BACKOFF_MS = 10_000;

const keyOf = (namespace: string, path: string): string => `${namespace}\u0000${path}`;
const nanosToMs = (ns: Nanos): number => ns / 1e6;

interface Armed {
  lock: HeldLock;
  cancel: () => void;
}

export class LockTimers {
  /** Locks whose TTL is running, by namespace + path. */
  private readonly ttl = new Map<string, Armed>();
  /** Locks whose TTL ran out: waiting for their lock-delay (or a release retry), by namespace + path. */
  private readonly expiring = new Map<string, Armed>();
  private readonly inflight = new Set<Promise<void>>();
  private enabled = false;

  constructor(
    private readonly clock: Clock,
    /** Removes the lock from the variable if it is still this lock; rejects when the write failed. */
    private readonly release: (lock: HeldLock) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** On (leader) with the locks found in state, or off: every timer cleared. */
  setEnabled(on: boolean, held: readonly HeldLock[] = []): void {
    this.enabled = on;
    if (!on) {
      for (const a of [...this.ttl.values(), ...this.expiring.values()]) a.cancel();
      this.ttl.clear();
      this.expiring.clear();
      return;
    }
    for (const lock of held) this.arm(lock);
  }

  /** Starts (or, for the same lock, restarts) the TTL of a lock just acquired. */
  arm(lock: HeldLock): void {
    if (!this.enabled) return;
    const key = keyOf(lock.namespace, lock.path);
    this.disarm(key);
    this.logger.debug('lock TTL started', { namespace: lock.namespace, path: lock.path, ttl: `${nanosToMs(lock.ttl)}ms` });
    const cancel = this.clock.setTimer(() => this.ttlExpired(key), nanosToMs(lock.ttl * LOCK_TTL_GRACE_FACTOR));
    this.ttl.set(key, { lock, cancel });
  }

  /** Re-arms the TTL of a running lock; false when it has none (expired, in its delay, or unknown). */
  renew(namespace: string, path: string, id: string): boolean {
    const armed = this.ttl.get(keyOf(namespace, path));
    if (!armed || armed.lock.id !== id) return false;
    this.arm(armed.lock);
    return true;
  }

  /** Whether the lock's TTL is still running (false once it expired, even while its delay lasts). */
  running(namespace: string, path: string, id: string): boolean {
    return this.ttl.get(keyOf(namespace, path))?.lock.id === id;
  }

  /** Forgets a lock that was released: its TTL and any pending expiry. */
  remove(namespace: string, path: string, id: string): void {
    const key = keyOf(namespace, path);
    for (const map of [this.ttl, this.expiring]) {
      const a = map.get(key);
      if (a?.lock.id !== id) continue;
      a.cancel();
      map.delete(key);
    }
  }

  get size(): number {
    return this.ttl.size + this.expiring.size;
  }

  /** Clears every timer and waits for releases already under way. */
  async stop(): Promise<void> {
    this.setEnabled(false);
    await Promise.all([...this.inflight]);
  }

  private disarm(key: string): void {
    for (const map of [this.ttl, this.expiring]) {
      map.get(key)?.cancel();
      map.delete(key);
    }
  }

  private ttlExpired(key: string): void {
    const armed = this.ttl.get(key);
    if (!armed) return;
    this.ttl.delete(key);
    const { lock } = armed;
    this.logger.debug('lock TTL expired, starting delay', { namespace: lock.namespace, path: lock.path });
    this.scheduleRelease(key, lock, nanosToMs(lock.delay), 0);
  }

  private scheduleRelease(key: string, lock: HeldLock, afterMs: number, attempt: number): void {
    if (!this.enabled) return;
    const cancel = this.clock.setTimer(() => {
      if (this.expiring.get(key)?.lock !== lock) return;
      const p = this.release(lock).then(
        () => {
          if (this.expiring.get(key)?.lock === lock) this.expiring.delete(key);
          this.logger.debug('expired lock released', { namespace: lock.namespace, path: lock.path });
        },
        (err: unknown) => {
          this.logger.error('releasing an expired lock failed', { namespace: lock.namespace, path: lock.path, lock_id: lock.id, error: err as Error });
          if (this.expiring.get(key)?.lock !== lock) return;
          if (attempt + 1 >= RELEASE_ATTEMPTS) {
            this.expiring.delete(key);
            return;
          }
          this.scheduleRelease(key, lock, RELEASE_BACKOFF_MS * 2 ** attempt, attempt + 1);
        },
      );
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }, afterMs);
    this.expiring.set(key, { lock, cancel });
  }
}

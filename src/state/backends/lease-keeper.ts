// Lease deadlines for the embedded backends. The keeper owns the in-memory deadline of every live
// lease and the single timer armed for the earliest one; when it fires it asks its owner to expire
// each due lease. It must never touch storage or keys itself (log-store.ts revokes), and close()
// leaves no timer armed.
//
// Deadlines are not persisted: on open every stored lease gets its full TTL again, as etcd does
// on a leader change.
import type { Clock, TimerHandle } from '../clock.js';
import { MAX_TIMER_MS } from '../clock.js';
import type { Lease } from '../kv.js';

/** Delay before retrying an expiry whose revocation failed (e.g. a transient disk error). */
const RETRY_MS = 1_000;

export class LeaseKeeper {
  readonly #leases = new Map<number, { lease: Lease; deadline: number }>();
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly expire: (id: number) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Start (or restart) a lease's full TTL. */
  add(lease: Lease): void {
    const deadline = this.clock.now() + lease.ttl * 1000;
    this.#leases.set(lease.id, { lease, deadline });
    this.#arm(deadline);
  }

  /** The lease, if it exists and its deadline has not passed. */
  live(id: number): Lease | undefined {
    const entry = this.#leases.get(id);
    return entry !== undefined && entry.deadline > this.clock.now() ? entry.lease : undefined;
  }

  /** Known to the keeper, even if past its deadline but not yet expired by the timer. */
  has(id: number): boolean {
    return this.#leases.has(id);
  }

  delete(id: number): void {
    this.#leases.delete(id);
  }

  close(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#leases.clear();
  }

  #arm(at: number): void {
    if (at >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = at;
    this.#timer = this.clock.setTimer(Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock.now())), () => this.#fire());
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.clock.now();
    for (const [id, entry] of [...this.#leases]) {
      if (entry.deadline > now) continue;
      try {
        this.expire(id);
        this.#leases.delete(id);
      } catch (err) {
        entry.deadline = now + RETRY_MS;
        this.onError(err);
      }
    }
    let next = Infinity;
    for (const { deadline } of this.#leases.values()) next = Math.min(next, deadline);
    if (next !== Infinity) this.#arm(next);
  }
}

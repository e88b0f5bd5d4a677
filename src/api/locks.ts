// Running work under a variable lock, as Nomad's api/locks.go does for `nomad var lock`:
// `VariableLocker` makes the lock calls, retrying answers that may be temporary (429 and 501–510)
// with exponential backoff, never longer than the lock's TTL; `LockLeaser` acquires the lock
// (waiting 1.1 × TTL between attempts while someone else holds it), runs the protected work while
// renewing the lease every 0.7 × TTL, and releases it when the work ends. If a renewal fails the
// lock is lost: the work's AbortSignal fires so the caller can stop it.
import { ApiError } from './client.js';
import { VariableConflictError, type LockRequest, type VariablesApi } from './variables.js';
import { parseDuration } from '../structs/duration.js';

const RENEWAL_FACTOR = 0.7;
const RETRY_BACKOFF_FACTOR = 1.1;
export const DEFAULT_LOCK_MAX_RETRIES = 5;

/** Nomad's ErrLockConflict: the caller is not (or no longer) the holder of the lock. */
export class LockConflictError extends Error {
  constructor(op: string) {
    super(`${op} conflict conflicting operation over lock`);
  }
}

/** Why a leased run failed (the message reads as Nomad's, e.g. "locks: error executing protected function exit status 3"). */
export class LockLeaseError extends Error {}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const isRetriable = (status: number): boolean => (status > 500 && status < 511) || status === 429;
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface VariableLockerOptions {
  namespace?: string;
  /** Retries of a call answered 429 or 501–510 (default 5; 0 disables). */
  maxRetries?: number;
}

/** What a LockLeaser drives (Nomad's api.Locker). */
export interface Locker {
  readonly ttlMs: number;
  acquire(signal?: AbortSignal): Promise<void>;
  renew(signal?: AbortSignal): Promise<void>;
  release(signal?: AbortSignal): Promise<void>;
}

/** The lock calls for one variable (Nomad's api.Locks). */
export class VariableLocker implements Locker {
  readonly ttlMs: number;
  private lockID = '';

  constructor(
    private readonly api: VariablesApi,
    readonly path: string,
    private readonly request: LockRequest & { ttl: string },
    private readonly opts: VariableLockerOptions = {},
  ) {
    if (path === '') throw new Error("variable's path can't be empty");
    this.ttlMs = parseDuration(request.ttl) / 1e6;
  }

  get heldID(): string {
    return this.lockID;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    const r = await this.retry('acquire', () => this.api.acquireLock(this.path, this.request, this.queryOpts()), signal);
    this.lockID = r.data.Lock?.ID ?? '';
  }

  async renew(signal?: AbortSignal): Promise<void> {
    await this.retry('renew', () => this.api.renewLock(this.path, this.lockID, this.queryOpts()), signal);
  }

  async release(signal?: AbortSignal): Promise<void> {
    await this.retry('release', () => this.api.releaseLock(this.path, this.lockID, this.queryOpts()), signal);
  }

  private queryOpts(): { namespace?: string } {
    return this.opts.namespace ? { namespace: this.opts.namespace } : {};
  }

  /** Nomad's retryPut: 1 s, 2 s, 4 s… between attempts, at most maxRetries more, within one TTL. */
  private async retry<T>(op: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const start = Date.now();
    const maxRetries = this.opts.maxRetries ?? DEFAULT_LOCK_MAX_RETRIES;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await sleep(1000 * 2 ** (attempt - 1), signal);
      if (signal?.aborted) throw new Error('context canceled');
      try {
        return await call();
      } catch (err) {
        if (err instanceof VariableConflictError || (err instanceof ApiError && err.status === 409)) throw new LockConflictError(op);
        const retriable = err instanceof ApiError && isRetriable(err.status);
        if (!retriable || attempt >= maxRetries || Date.now() - start > this.ttlMs) throw err;
      }
    }
  }
}

export interface LockLeaserOptions {
  /** Between attempts to acquire a lock someone else holds (default 1.1 × TTL). */
  waitPeriodMs?: number;
  /** Give up (resolve false) instead of waiting when the lock is held by someone else. */
  earlyReturn?: boolean;
  random?: () => number;
}

/** Runs work only while holding the lock (Nomad's api.LockLeaser). */
export class LockLeaser {
  constructor(
    private readonly locker: Locker,
    private readonly opts: LockLeaserOptions = {},
  ) {}

  /**
   * Acquires the lock (waiting while another holder has it), runs `work` with a signal that fires
   * if the lock is lost, and releases the lock when `work` ends. Resolves false when it gave up
   * without the lock (earlyReturn), true when the work ran and ended well; a failure of the work,
   * of the lease or of the release rejects with a LockLeaseError.
   */
  async run(work: (lost: AbortSignal) => Promise<void>): Promise<boolean> {
    const ttl = this.locker.ttlMs;
    // As Nomad: a short random pause, so instances started together do not collide.
    await sleep(Math.floor((this.opts.random ?? Math.random)() * 100));
    for (;;) {
      try {
        await this.locker.acquire();
        break;
      } catch (err) {
        if (!(err instanceof LockConflictError)) throw new LockLeaseError(`locks: ${messageOf(err)}`);
        if (this.opts.earlyReturn) return false;
      }
      await sleep(this.opts.waitPeriodMs ?? ttl * RETRY_BACKOFF_FACTOR);
    }

    const lost = new AbortController();
    const done = new AbortController();
    let leaseErr: unknown;
    const renewing = (async () => {
      for (;;) {
        await sleep(ttl * RENEWAL_FACTOR, done.signal);
        if (done.signal.aborted) return;
        try {
          await this.locker.renew(done.signal);
        } catch (err) {
          if (done.signal.aborted) return;
          leaseErr = err;
          lost.abort(err);
          return;
        }
      }
    })();

    const errors: string[] = [];
    try {
      await work(lost.signal);
    } catch (err) {
      if (leaseErr === undefined) errors.push(`locks: error executing protected function ${messageOf(err)}`);
    }
    done.abort();
    await renewing;
    if (leaseErr !== undefined) {
      errors.unshift(`locks: error renewing the lease: ${messageOf(leaseErr)}`);
    } else {
      try {
        await this.locker.release();
      } catch (err) {
        errors.push(`lock release: ${messageOf(err)}`);
      }
    }
    if (errors.length > 0) throw new LockLeaseError(errors.join('\n'));
    return true;
  }
}

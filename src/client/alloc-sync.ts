// Reporting allocation state to the servers (Nomad's allocSync): changed allocations are queued
// and sent in batches at most every 50 ms (Nomad waits 200 ms; the shorter window is what makes
// a started task visible to the CLI quickly) — the first change after a quiet spell goes out at once
// (so a task that just started is reported without waiting), later ones are batched; a successful
// batch is acknowledged (and persisted) so unchanged state is not sent again; a failed one is
// re-queued and retried after 5 s.
import { ApiError } from '../api/client.js';
import type { ClientAllocUpdate } from '../api/internal.js';
import type { Logger } from '../structs/logger.js';
import { errorMessage, sleep } from './async.js';
import type { ServerList } from './servers.js';

export const ALLOC_SYNC_INTERVAL_MS = 50;
export const ALLOC_SYNC_RETRY_MS = 5_000;

/** What the sync loop needs of an alloc runner. */
export interface SyncSource {
  readonly id: string;
  clientUpdate(): ClientAllocUpdate;
  needsSync(u: ClientAllocUpdate): boolean;
  acknowledge(u: ClientAllocUpdate): void;
}

export class AllocSync {
  private readonly dirty = new Map<string, SyncSource>();
  private readonly log: Logger;

  constructor(
    private readonly servers: ServerList,
    private readonly nodeID: () => string,
    logger: Logger,
    private readonly intervalMs = ALLOC_SYNC_INTERVAL_MS,
    private readonly retryMs = ALLOC_SYNC_RETRY_MS,
  ) {
    this.log = logger.named('alloc_sync');
  }

  private wake: (() => void) | undefined;

  /** Marks an allocation as changed; it is sent with the next batch. */
  enqueue(src: SyncSource): void {
    this.dirty.set(src.id, src);
    this.wake?.();
  }

  get pending(): number {
    return this.dirty.size;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.dirty.size === 0) {
        await new Promise<void>((resolve) => {
          const onAbort = (): void => resolve();
          this.wake = () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
        this.wake = undefined;
        if (signal.aborted) return;
      }
      const ok = await this.flush();
      // Whatever changes next waits for the rest of the interval and goes out as one batch.
      const r = await sleep(ok ? this.intervalMs : this.retryMs, signal);
      if (r === 'aborted') return;
    }
  }

  /** Sends everything queued now; returns false when the servers could not take it (it stays queued). */
  async flush(): Promise<boolean> {
    if (this.dirty.size === 0) return true;
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    const sends: { src: SyncSource; update: ClientAllocUpdate }[] = [];
    for (const src of batch) {
      const update = src.clientUpdate();
      if (src.needsSync(update)) sends.push({ src, update });
    }
    if (sends.length === 0) return true;
    try {
      await this.servers.api.internal.updateAllocations(this.nodeID(), sends.map((s) => s.update));
      for (const s of sends) s.src.acknowledge(s.update);
      return true;
    } catch (err) {
      this.log.warn('error updating allocations', { server: this.servers.address, count: sends.length, error: errorMessage(err) });
      for (const s of sends) if (!this.dirty.has(s.src.id)) this.dirty.set(s.src.id, s.src);
      if (!(err instanceof ApiError)) this.servers.rotate();
      return false;
    }
  }
}

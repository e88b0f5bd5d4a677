// Watch delivery for the embedded backends. The hub owns every open watcher: it offers each
// committed batch to them synchronously (so a watcher registered before a write never misses it)
// and lets a watcher that starts in the past catch up from the store's log page by page.
// Delivery is pull-based (the consumer's `next()`), so there is no background loop; writers never
// wait for a consumer.
//
// Bound: a live watcher buffers at most `bufferLimit` events (default 10,000) its consumer has
// not taken yet. Past that the watch is cancelled with WatchOverflowError and its buffer freed —
// the consumer re-reads state and watches again, as with etcd's compaction cancel. A catching-up
// watcher holds at most one page (CATCH_UP_PAGE revisions) of history at a time.
import type { KeyBounds } from '../keys.js';
import { inBounds } from '../keys.js';
import type { WatchBatch, WatchEvent, Watcher } from '../kv.js';
import { CompactedError, WatchOverflowError } from '../errors.js';

export const DEFAULT_WATCH_BUFFER_LIMIT = 10_000;
/** Revisions read from the log per catch-up step. */
export const CATCH_UP_PAGE = 500;

export interface WatchSource {
  revision(): number;
  compactRevision(): number;
  /** Batches (with prevKv) for revisions from..to inside bounds; throws if the store is closed. */
  history(from: number, to: number, bounds: KeyBounds): WatchBatch[];
}

export class WatchHub {
  readonly #watchers = new Set<HubWatcher>();

  constructor(
    private readonly source: WatchSource,
    private readonly bufferLimit: number,
  ) {}

  watch(bounds: KeyBounds, fromRevision: number, prevKv: boolean): Watcher {
    const w = new HubWatcher(this.source, bounds, fromRevision, prevKv, this.bufferLimit, () => this.#watchers.delete(w));
    this.#watchers.add(w);
    return w;
  }

  /** Offer one committed transaction's events to every watcher. */
  publish(batch: WatchBatch): void {
    for (const w of this.#watchers) w.offer(batch);
  }

  cancelAll(error: Error): void {
    for (const w of [...this.#watchers]) w.cancel(error);
  }
}

type Waiter = { resolve: (r: IteratorResult<WatchBatch>) => void; reject: (e: unknown) => void };

class HubWatcher implements Watcher {
  /** Next revision not yet buffered or delivered. */
  #next: number;
  /** True once every revision below #next that exists has been buffered: live batches are accepted. */
  #live: boolean;
  readonly #buffer: WatchBatch[] = [];
  #buffered = 0;
  readonly #waiters: Waiter[] = [];
  #error: unknown;
  #ended = false;

  constructor(
    private readonly source: WatchSource,
    private readonly bounds: KeyBounds,
    fromRevision: number,
    private readonly prevKv: boolean,
    private readonly limit: number,
    private readonly onEnd: () => void,
  ) {
    const current = source.revision();
    this.#next = fromRevision > 0 ? fromRevision : current + 1;
    this.#live = this.#next > current;
  }

  offer(batch: WatchBatch): void {
    if (this.#ended || !this.#live || batch.revision < this.#next) return;
    this.#next = batch.revision + 1;
    const events = this.#select(batch.events);
    if (events.length === 0) return;
    this.#push({ revision: batch.revision, events });
    if (this.#buffered > this.limit) this.cancel(new WatchOverflowError(this.limit));
  }

  cancel(error: unknown): void {
    if (this.#ended) return;
    this.#error = error;
    this.#end();
    this.#buffer.length = 0;
    this.#buffered = 0;
    for (const w of this.#waiters.splice(0)) w.reject(error);
  }

  close(): void {
    if (this.#ended) return;
    this.#end();
    this.#buffer.length = 0;
    this.#buffered = 0;
    for (const w of this.#waiters.splice(0)) w.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchBatch> {
    return {
      next: () => this.#take(),
      return: () => {
        this.close();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  #take(): Promise<IteratorResult<WatchBatch>> {
    if (!this.#ended && !this.#live) {
      try {
        this.#catchUp();
      } catch (err) {
        this.cancel(err);
      }
    }
    const batch = this.#buffer.shift();
    if (batch !== undefined) {
      this.#buffered -= batch.events.length;
      return Promise.resolve({ done: false, value: batch });
    }
    if (this.#ended) return this.#error === undefined ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Buffer history pages until one holds an event for us or we reach the present. */
  #catchUp(): void {
    while (!this.#live && this.#buffer.length === 0) {
      const compacted = this.source.compactRevision();
      if (this.#next < compacted) throw new CompactedError(this.#next, compacted);
      const current = this.source.revision();
      const to = Math.min(current, this.#next + CATCH_UP_PAGE - 1);
      for (const batch of this.source.history(this.#next, to, this.bounds)) {
        const events = this.#select(batch.events);
        if (events.length > 0) this.#push({ revision: batch.revision, events });
      }
      this.#next = to + 1;
      this.#live = this.#next > current;
    }
  }

  #select(events: readonly WatchEvent[]): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (const e of events) {
      if (!inBounds(e.kv.key, this.bounds)) continue;
      out.push(this.prevKv || e.prevKv === undefined ? e : { type: e.type, kv: e.kv });
    }
    return out;
  }

  #push(batch: WatchBatch): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve({ done: false, value: batch });
      return;
    }
    this.#buffer.push(batch);
    this.#buffered += batch.events.length;
  }

  #end(): void {
    this.#ended = true;
    this.onEnd();
  }
}

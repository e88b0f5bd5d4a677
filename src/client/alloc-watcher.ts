// Watching this node's allocations (Nomad's watchAllocations): a blocking query for
// {allocID: AllocModifyIndex}, then a pull of the allocations that are new or changed, handed to
// the client as one update with the IDs that disappeared. It owns one loop, stopped by its signal.
import { ApiError } from '../api/client.js';
import type { Allocation } from '../structs/alloc.js';
import type { Logger } from '../structs/logger.js';
import { errorMessage, sleep } from './async.js';
import type { ServerList } from './servers.js';

export const ALLOC_RETRY_MS = 1_000;
export const BLOCKING_WAIT = '5m';

export interface AllocUpdates {
  /** New or changed allocations, pulled from the servers. */
  pulled: Allocation[];
  /** Allocations the servers no longer list for this node. */
  removed: string[];
}

export interface AllocWatcherOptions {
  servers: ServerList;
  nodeID: string;
  logger: Logger;
  /** The AllocModifyIndex of each allocation the client runs. */
  known: () => ReadonlyMap<string, number>;
  onUpdates: (u: AllocUpdates) => void;
  /** The node is unknown to the servers: register again. */
  onNodeNotFound: () => void;
  retryMs?: number;
}

/** Which allocations to pull and which were removed (Nomad's watchAllocations filter + diffAllocs). */
export function diffAllocIndexes(server: Readonly<Record<string, number>>, known: ReadonlyMap<string, number>): { pull: string[]; removed: string[] } {
  const pull = Object.entries(server)
    .filter(([id, idx]) => known.get(id) === undefined || idx > (known.get(id) ?? 0))
    .map(([id]) => id)
    .sort();
  const removed = [...known.keys()].filter((id) => !(id in server)).sort();
  return { pull, removed };
}

export class AllocWatcher {
  private readonly log: Logger;
  constructor(private readonly opts: AllocWatcherOptions) {
    this.log = opts.logger.named('alloc_watcher');
  }

  async run(signal: AbortSignal): Promise<void> {
    const retry = this.opts.retryMs ?? ALLOC_RETRY_MS;
    let index = 0;
    while (!signal.aborted) {
      const s = this.opts.servers;
      try {
        const r = await s.api.internal.nodeAllocations(this.opts.nodeID, { index, wait: BLOCKING_WAIT, signal });
        if (index > 0 && r.data.Index <= index) continue;
        const { pull, removed } = diffAllocIndexes(r.data.Allocs, this.opts.known());
        let pulled: Allocation[] = [];
        if (pull.length) {
          const got = await s.api.internal.getAllocations(pull);
          pulled = got.data.Allocs;
          if (pulled.length < pull.length) {
            // Missing results (GC'd between the two calls): take what came and ask again soon.
            this.log.debug('some allocations were not returned; retrying', { wanted: pull.length, got: pulled.length });
            this.opts.onUpdates({ pulled, removed });
            await sleep(retry, signal);
            continue;
          }
        }
        index = r.data.Index;
        this.opts.onUpdates({ pulled, removed });
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && err.status === 404) this.opts.onNodeNotFound();
        else if (!(err instanceof ApiError)) s.rotate();
        this.log.warn('error watching allocations', { server: s.address, error: errorMessage(err) });
        await sleep(retry, signal);
      }
    }
  }
}

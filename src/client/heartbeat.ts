// Node registration and heartbeats (Nomad's registerAndHeartbeat): register with retry and backoff
// across the servers (1 s in dev mode, 15–30 s otherwise), mark the node ready, then heartbeat at
// the TTL the server returns; a "node not found" answer means register again, and a node whose
// fingerprint changed registers again at once. It owns one loop, stopped by its AbortSignal.
import { ApiError } from '../api/client.js';
import type { Logger } from '../structs/logger.js';
import type { Node } from '../structs/node.js';
import { errorMessage, Latch, sleep } from './async.js';
import type { ServerList } from './servers.js';

export const REGISTER_RETRY_MS = 15_000;
export const DEV_REGISTER_RETRY_MS = 1_000;
const HEARTBEAT_RETRY_MIN_MS = 1_000;
const HEARTBEAT_RETRY_MAX_MS = 30_000;

export interface HeartbeatOptions {
  servers: ServerList;
  node: () => Node;
  logger: Logger;
  devMode: boolean;
  /** Retry base between registration attempts (default 15 s, 1 s in dev mode). */
  registerRetryMs?: number;
  random?: () => number;
}

export class Heartbeater {
  /** Opens once the node has registered for the first time. */
  readonly registered = new Latch();
  private ttlMs = 0;
  private wake = new AbortController();
  private needsRegister = true;
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(private readonly opts: HeartbeatOptions) {
    this.log = opts.logger.named('heartbeat');
    this.random = opts.random ?? Math.random;
  }

  /** The heartbeat TTL the server last returned, in ms. */
  get heartbeatTTL(): number {
    return this.ttlMs;
  }

  /** The node changed (drivers, attributes): register it again now. */
  nodeChanged(): void {
    this.needsRegister = true;
    this.wake.abort();
  }

  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      if (this.needsRegister) {
        const ok = await this.register();
        if (!ok) {
          const base = this.opts.registerRetryMs ?? (this.opts.devMode ? DEV_REGISTER_RETRY_MS : REGISTER_RETRY_MS);
          await sleep(this.opts.devMode ? base : base + this.random() * base, signal);
          continue;
        }
        this.needsRegister = false;
        this.registered.open();
        // The first heartbeat marks the node ready right away (Nomad staggers it outside dev mode;
        // Roam's scheduler needs the node ready before it places anything).
      }
      const beat = await this.heartbeat();
      if (beat === 'not-found') {
        this.needsRegister = true;
        continue;
      }
      failures = beat === 'ok' ? 0 : failures + 1;
      const wait = beat === 'ok' ? Math.max(100, this.ttlMs) : Math.min(HEARTBEAT_RETRY_MAX_MS, HEARTBEAT_RETRY_MIN_MS * 2 ** Math.min(failures - 1, 5)) + this.random() * 1000;
      this.wake = new AbortController();
      if (this.needsRegister) continue;
      await sleep(wait, signal, this.wake.signal);
    }
  }

  private async register(): Promise<boolean> {
    const s = this.opts.servers;
    try {
      const r = await s.api.internal.registerNode(this.opts.node());
      this.ttlMs = r.data.HeartbeatTTL / 1e6;
      this.log.info('node registration complete', { server: s.address });
      return true;
    } catch (err) {
      this.log.error('error registering', { server: s.address, error: errorMessage(err) });
      if (!(err instanceof ApiError)) s.rotate();
      return false;
    }
  }

  private async heartbeat(): Promise<'ok' | 'not-found' | 'error'> {
    const s = this.opts.servers;
    try {
      const r = await s.api.internal.updateStatus(this.opts.node().ID, 'ready');
      this.ttlMs = r.data.HeartbeatTTL / 1e6;
      return 'ok';
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.log.info('server does not know this node; registering again', { server: s.address });
        return 'not-found';
      }
      this.log.error('error heartbeating', { server: s.address, error: errorMessage(err) });
      if (!(err instanceof ApiError)) s.rotate();
      return 'error';
    }
  }
}

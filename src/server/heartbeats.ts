// Heartbeat timers (leader only), as Nomad keeps them: each node gets a TTL scaled to the number
// of nodes (min 10 s, +random stagger), the server's timer adds a 10 s grace, and when it fires the
// node is marked down. After the server starts, every known live node gets the failover TTL.
import type { Logger } from '../structs/logger.js';

export interface HeartbeatConfig {
  minTTL: number;
  grace: number;
  maxPerSecond: number;
  failoverTTL: number;
}

export class Heartbeats {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private enabled = false;

  constructor(
    private readonly cfg: HeartbeatConfig,
    private readonly onExpired: (nodeID: string) => void,
    private readonly logger: Logger,
    private readonly rand: () => number = Math.random,
  ) {}

  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.clearAll();
  }

  /** The TTL to hand the client (ms): Nomad's RateScaledInterval plus a random stagger. */
  nextTTL(): number {
    const base = Math.max(this.cfg.minTTL, (this.timers.size / this.cfg.maxPerSecond) * 1000);
    return Math.round(base + this.rand() * base);
  }

  /** Arms (or re-arms) the node's timer; returns the TTL the client must beat. */
  reset(nodeID: string, ttl = this.nextTTL()): number {
    if (!this.enabled) return ttl;
    const old = this.timers.get(nodeID);
    if (old) clearTimeout(old);
    const t = setTimeout(() => {
      this.timers.delete(nodeID);
      this.logger.warn('node TTL expired', { node_id: nodeID });
      this.onExpired(nodeID);
    }, ttl + this.cfg.grace);
    t.unref();
    this.timers.set(nodeID, t);
    return ttl;
  }

  /** After becoming leader: every live node gets the (long) failover TTL to check in. */
  initialize(nodeIDs: string[]): void {
    for (const id of nodeIDs) this.reset(id, this.cfg.failoverTTL);
  }

  clear(nodeID: string): void {
    const t = this.timers.get(nodeID);
    if (t) clearTimeout(t);
    this.timers.delete(nodeID);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}

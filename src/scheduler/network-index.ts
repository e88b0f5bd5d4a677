// Port bookkeeping on one node (Nomad's NetworkIndex): which host ports are taken per host IP —
// by the node's reserved ports and by the allocations proposed for it — and the assignment of a
// group's static and dynamic ports. Dynamic ports come from the node's MinDynamicPort..
// MaxDynamicPort: up to 20 random picks from the seeded Rng, then a linear scan.
import type { AllocatedPortMapping, Allocation, NetworkResource, Node, Port } from '../structs/index.js';
import { DEFAULT_MAX_DYNAMIC_PORT, DEFAULT_MIN_DYNAMIC_PORT, MAX_VALID_PORT } from '../structs/index.js';
import type { Rng } from './rng.js';

const MAX_RAND_PORT_ATTEMPTS = 20;

/** Parses Nomad's port list syntax ("22,80,8000-8100"); null when malformed. */
export function parsePortRanges(spec: string): number[] | null {
  const out: number[] = [];
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > MAX_VALID_PORT) return null;
    for (let p = lo; p <= hi; p++) out.push(p);
  }
  return out;
}

export interface PortOffer {
  network: NetworkResource;
  ports: AllocatedPortMapping[];
}

export class NetworkIndex {
  private readonly used = new Map<string, Set<number>>();
  readonly defaultIP: string;
  private readonly minDyn: number;
  private readonly maxDyn: number;
  /** Set when the node's own network description is unusable. */
  readonly invalid: string | null = null;

  constructor(node: Node) {
    const host = (node.NodeResources.Networks ?? []).find((n) => n.Mode === '' || n.Mode === 'host');
    this.defaultIP = host?.IP ?? '';
    this.minDyn = node.NodeResources.MinDynamicPort || DEFAULT_MIN_DYNAMIC_PORT;
    this.maxDyn = node.NodeResources.MaxDynamicPort || DEFAULT_MAX_DYNAMIC_PORT;
    const reserved = parsePortRanges(node.ReservedResources?.Networks.ReservedHostPorts ?? '');
    if (reserved === null) this.invalid = 'invalid reserved host ports';
    for (const p of reserved ?? []) this.usedOn('').add(p);
    for (const n of node.NodeResources.Networks ?? []) for (const p of n.ReservedPorts ?? []) this.usedOn(n.IP).add(p.Value);
  }

  /** Ports reserved for the node apply on every IP; "" is that shared set. */
  private usedOn(ip: string): Set<number> {
    let s = this.used.get(ip);
    if (s === undefined) {
      s = new Set();
      this.used.set(ip, s);
    }
    return s;
  }

  isUsed(ip: string, port: number): boolean {
    return (this.used.get('')?.has(port) ?? false) || (ip !== '' && (this.used.get(ip)?.has(port) ?? false));
  }

  private claim(ip: string, port: number, label: string): string | null {
    if (this.isUsed(ip, port)) return `port collision ${label}=${port}`;
    this.usedOn(ip).add(port);
    return null;
  }

  /** Adds the ports of proposed allocations; the first collision found, or null. */
  addAllocs(allocs: readonly Allocation[]): string | null {
    for (const a of allocs) {
      const res = a.AllocatedResources;
      if (res === null) continue;
      for (const p of res.Shared.Ports ?? []) {
        const err = this.claim(p.HostIP || this.defaultIP, p.Value, p.Label);
        if (err !== null) return err;
      }
      if ((res.Shared.Ports ?? []).length === 0) {
        for (const n of res.Shared.Networks ?? []) {
          const err = this.addNetwork(n);
          if (err !== null) return err;
        }
      }
      for (const t of Object.values(res.Tasks)) {
        for (const n of t.Networks ?? []) {
          const err = this.addNetwork(n);
          if (err !== null) return err;
        }
      }
    }
    return null;
  }

  private addNetwork(n: NetworkResource): string | null {
    for (const p of [...(n.ReservedPorts ?? []), ...(n.DynamicPorts ?? [])]) {
      if (p.IgnoreCollision === true) continue;
      const err = this.claim(n.IP || this.defaultIP, p.Value, p.Label);
      if (err !== null) return err;
    }
    return null;
  }

  /**
   * Assigns the ask's ports on this node and claims them. Errors are Nomad's texts:
   * "reserved port collision http=8080", "dynamic port selection failed".
   */
  assignPorts(ask: NetworkResource, rng: Rng): PortOffer | { error: string } {
    const ip = ask.IP || this.defaultIP;
    const taken = new Set<number>();
    const ports: AllocatedPortMapping[] = [];
    const reserved: Port[] = [];
    for (const p of ask.ReservedPorts ?? []) {
      if (p.Value < 0 || p.Value > MAX_VALID_PORT) return { error: `invalid port ${p.Value} (out of range)` };
      if (p.IgnoreCollision !== true && (this.isUsed(ip, p.Value) || taken.has(p.Value))) return { error: `reserved port collision ${p.Label}=${p.Value}` };
      taken.add(p.Value);
      reserved.push({ ...p });
      ports.push({ Label: p.Label, Value: p.Value, To: p.To === -1 ? p.Value : p.To, HostIP: ip });
    }
    const dynamic: Port[] = [];
    for (const p of ask.DynamicPorts ?? []) {
      const value = this.pickDynamic(ip, taken, rng);
      if (value === null) return { error: 'dynamic port selection failed' };
      taken.add(value);
      dynamic.push({ ...p, Value: value });
      ports.push({ Label: p.Label, Value: value, To: p.To === -1 ? value : p.To, HostIP: ip });
    }
    for (const p of taken) this.usedOn(ip).add(p);
    const network: NetworkResource = { ...ask, IP: ip, ReservedPorts: reserved.length ? reserved : null, DynamicPorts: dynamic.length ? dynamic : null };
    return { network, ports };
  }

  private pickDynamic(ip: string, taken: Set<number>, rng: Rng): number | null {
    const span = this.maxDyn - this.minDyn + 1;
    if (span <= 0) return null;
    const free = (p: number): boolean => !taken.has(p) && !this.isUsed(ip, p);
    for (let i = 0; i < MAX_RAND_PORT_ATTEMPTS; i++) {
      const p = this.minDyn + rng.intn(span);
      if (free(p)) return p;
    }
    for (let p = this.minDyn; p <= this.maxDyn; p++) if (free(p)) return p;
    return null;
  }
}

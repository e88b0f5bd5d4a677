// Sets of allocations as the reconciler handles them: ordered maps by ID, name-ordered listing,
// the name index that hands out `<job>.<group>[i]` names (lowest free index first, highest
// removed first), and the classification of allocations by the state of their nodes.
import type { Allocation, Job, Node } from '../structs/index.js';
import { allocIndexFromName, allocName, isServerTerminal, isTerminalAlloc } from '../structs/index.js';

export type AllocSet = Map<string, Allocation>;

export function allocSet(allocs: Iterable<Allocation> = []): AllocSet {
  const s: AllocSet = new Map();
  for (const a of allocs) s.set(a.ID, a);
  return s;
}

export function union(...sets: AllocSet[]): AllocSet {
  const out: AllocSet = new Map();
  for (const s of sets) for (const [id, a] of s) out.set(id, a);
  return out;
}

export function difference(set: AllocSet, ...others: AllocSet[]): AllocSet {
  const out: AllocSet = new Map();
  for (const [id, a] of set) if (!others.some((o) => o.has(id))) out.set(id, a);
  return out;
}

export function filterSet(set: AllocSet, pred: (a: Allocation) => boolean): AllocSet {
  const out: AllocSet = new Map();
  for (const [id, a] of set) if (pred(a)) out.set(id, a);
  return out;
}

/** Allocations by name index, then ID — the deterministic order decisions are made in. */
export function nameOrder(set: AllocSet | readonly Allocation[]): Allocation[] {
  const list = Array.isArray(set) ? [...(set as readonly Allocation[])] : [...(set as AllocSet).values()];
  return list.sort((a, b) => allocIndexFromName(a.Name) - allocIndexFromName(b.Name) || (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
}

export function allocIndex(a: Allocation): number {
  return Math.max(0, allocIndexFromName(a.Name));
}

/** Which names of a group are taken; hands out free ones (Nomad's AllocNameIndex). */
export class AllocNameIndex {
  private readonly used = new Set<number>();
  private readonly duplicates = new Map<number, number>();
  private size: number;

  constructor(
    private readonly jobID: string,
    private readonly group: string,
    private readonly count: number,
    taken: AllocSet,
  ) {
    let max = 0;
    for (const a of taken.values()) max = Math.max(max, allocIndex(a));
    this.size = Math.max(count, taken.size, max + 1);
    for (const a of taken.values()) {
      const i = allocIndex(a);
      if (this.used.has(i)) this.duplicates.set(i, (this.duplicates.get(i) ?? 0) + 1);
      else this.used.add(i);
    }
  }

  /** Removes and returns the `n` highest taken names. */
  highest(n: number): Set<string> {
    const out = new Set<string>();
    for (let i = this.size - 1; i >= 0 && out.size < n; i--) {
      if (this.used.has(i)) {
        this.used.delete(i);
        out.add(allocName(this.jobID, this.group, i));
      }
    }
    return out;
  }

  isDuplicate(i: number): boolean {
    return (this.duplicates.get(i) ?? 0) > 0;
  }

  unset(i: number): void {
    this.used.delete(i);
  }

  /** The next `n` names: free indexes in [0, count) lowest first, then reuse from 0. */
  next(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count && out.length < n; i++) {
      if (!this.used.has(i)) {
        this.used.add(i);
        out.push(allocName(this.jobID, this.group, i));
      }
    }
    for (let i = 0; out.length < n; i++) {
      this.used.add(i);
      this.size = Math.max(this.size, i + 1);
      out.push(allocName(this.jobID, this.group, i));
    }
    return out;
  }
}

/** Nodes that taint allocations: missing (null), down, draining or disconnected. */
export type TaintedNodes = ReadonlyMap<string, Node | null>;

export interface Classified {
  untainted: AllocSet;
  migrate: AllocSet;
  lost: AllocSet;
  ignore: AllocSet;
}

/**
 * Nomad's classifyAllocs rule table (first match wins), without the reconnect/disconnect
 * windows: an allocation on a disconnected node is lost unless it is already `unknown`.
 */
export function classifyAllocs(set: AllocSet, tainted: TaintedNodes): Classified {
  const out: Classified = { untainted: new Map(), migrate: new Map(), lost: new Map(), ignore: new Map() };
  for (const [id, a] of set) {
    const terminal = isTerminalAlloc(a);
    const serverTerminal = isServerTerminal(a.DesiredStatus);
    const node = tainted.get(a.NodeID);
    const isTainted = tainted.has(a.NodeID);
    let cat: keyof Classified;
    if (serverTerminal && a.DesiredTransition.MigrateDisablePlacement === true) cat = 'untainted';
    else if (terminal && serverTerminal) cat = 'ignore';
    else if (terminal && a.DeploymentStatus?.Canary === true && a.DesiredTransition.Migrate === true) cat = 'migrate';
    else if (terminal) cat = 'untainted';
    else if (node != null && node.Status === 'disconnected') cat = a.ClientStatus === 'unknown' ? 'untainted' : 'lost';
    else if (a.DesiredTransition.Migrate === true) cat = 'migrate';
    else if (!isTainted || (node != null && node.Status === 'ready')) cat = 'untainted';
    else if (node == null) cat = 'lost';
    else if (node.Status === 'down') cat = 'lost';
    else cat = 'untainted';
    out[cat].set(id, a);
  }
  return out;
}

/** Drops server-terminal allocs, except batch ones not marked for rescheduling (they count toward `count`). */
export function filterServerTerminal(set: AllocSet): AllocSet {
  return filterSet(set, (a) => !isServerTerminal(a.DesiredStatus) || (a.Job?.Type === 'batch' && a.DesiredTransition.Reschedule !== true));
}

/** Batch only: terminal allocations of older job versions are ignored. */
export function filterOldTerminal(set: AllocSet, job: Job, isBatch: boolean): { remain: AllocSet; ignore: AllocSet } {
  if (!isBatch) return { remain: set, ignore: new Map() };
  const remain: AllocSet = new Map();
  const ignore: AllocSet = new Map();
  for (const [id, a] of set) {
    const older = (a.Job?.Version ?? 0) < job.Version || (a.Job?.CreateIndex ?? 0) < job.CreateIndex;
    if (older && isTerminalAlloc(a)) ignore.set(id, a);
    else remain.set(id, a);
  }
  return { remain, ignore };
}

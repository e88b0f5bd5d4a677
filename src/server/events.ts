// The event stream (Nomad's event broker): every state change becomes typed events (JobRegistered,
// EvaluationUpdated, AllocationUpdated, NodeRegistration, ServiceRegistration, …) grouped by the
// index that made them, kept in a bounded ring buffer so a subscriber can resume from an index,
// and fanned out to subscribers filtered by topic, key and namespace.
import type { StateStore } from '../state/state-store.js';
import type { RowChange } from '../state/tables.js';
import type { Allocation } from '../structs/alloc.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import { publicNode, type Node } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';

export const TOPICS = ['Job', 'Evaluation', 'Allocation', 'Node', 'Deployment', 'Service', 'Variables'] as const;

export interface StreamEvent {
  Topic: string;
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys: string[] | null;
  Index: number;
  Payload: Record<string, unknown>;
}

export interface EventBatch {
  Index: number;
  Events: StreamEvent[];
}

/** `topic=Job:example` → Job: {example}; `topic=Job` or `Job:*` → all Job events; none → everything. */
export type TopicFilter = Map<string, Set<string>>;

export function parseTopics(raw: string[]): TopicFilter | string {
  const f: TopicFilter = new Map();
  if (raw.length === 0) f.set('*', new Set(['*']));
  for (const t of raw) {
    const i = t.indexOf(':');
    const topic = i < 0 ? t : t.slice(0, i);
    const key = i < 0 ? '*' : t.slice(i + 1) || '*';
    if (topic !== '*' && !(TOPICS as readonly string[]).includes(topic)) return `invalid topic ${JSON.stringify(topic)}: expected one of ${TOPICS.join(', ')} or *`;
    const keys = f.get(topic) ?? new Set<string>();
    keys.add(key);
    f.set(topic, keys);
  }
  return f;
}

export function matches(f: TopicFilter, namespace: string, e: StreamEvent): boolean {
  if (namespace !== '*' && e.Namespace !== '' && e.Namespace !== namespace) return false;
  for (const topic of [e.Topic, '*']) {
    const keys = f.get(topic);
    if (!keys) continue;
    if (keys.has('*') || keys.has(e.Key) || (e.FilterKeys ?? []).some((k) => keys.has(k))) return true;
  }
  return false;
}

function eventsFor(row: RowChange, index: number): StreamEvent[] {
  const ev = (Topic: string, Type: string, Key: string, Namespace: string, Payload: Record<string, unknown>, FilterKeys: string[] | null = null): StreamEvent => ({ Topic, Type, Key, Namespace, FilterKeys, Index: index, Payload });
  switch (row.table) {
    case 'jobs': {
      const j = (row.after ?? row.before) as Job | undefined;
      if (!j) return [];
      return [ev('Job', row.type === 'delete' ? 'JobDeregistered' : 'JobRegistered', j.ID, j.Namespace, { Job: j })];
    }
    case 'evals': {
      const e = (row.after ?? row.before) as Evaluation | undefined;
      if (!e || row.type === 'delete') return [];
      return [ev('Evaluation', 'EvaluationUpdated', e.ID, e.Namespace, { Evaluation: e }, [e.JobID, e.DeploymentID].filter(Boolean))];
    }
    case 'allocs': {
      const a = row.after as Allocation | undefined;
      if (!a) return [];
      const b = row.before as Allocation | undefined;
      const type = !b ? 'AllocationCreated' : b.DesiredStatus !== a.DesiredStatus || JSON.stringify(b.DesiredTransition) !== JSON.stringify(a.DesiredTransition) ? 'AllocationUpdateDesiredStatus' : 'AllocationUpdated';
      return [ev('Allocation', type, a.ID, a.Namespace, { Allocation: a }, [a.JobID, a.DeploymentID].filter(Boolean))];
    }
    case 'nodes': {
      const n = (row.after ?? row.before) as Node | undefined;
      if (!n) return [];
      const b = row.before as Node | undefined;
      let type = 'NodeRegistration';
      if (row.type === 'delete') type = 'NodeDeregistration';
      else if (b && b.SchedulingEligibility !== n.SchedulingEligibility) type = 'NodeEligibility';
      else if (b && (b.DrainStrategy === null) !== (n.DrainStrategy === null)) type = 'NodeDrain';
      else if (b && b.Status === n.Status) type = 'NodeStreamEvent';
      return [ev('Node', type, n.ID, '', { Node: publicNode(n) })];
    }
    case 'deployments': {
      const d = row.after as Deployment | undefined;
      if (!d) return [];
      return [ev('Deployment', 'DeploymentStatusUpdate', d.ID, d.Namespace, { Deployment: d }, [d.JobID])];
    }
    case 'services': {
      const s = (row.after ?? row.before) as ServiceRegistration | undefined;
      if (!s) return [];
      return [ev('Service', row.type === 'delete' ? 'ServiceDeregistration' : 'ServiceRegistration', s.ServiceName, s.Namespace, { Service: s }, [s.JobID])];
    }
    case 'variables': {
      const v = (row.after ?? row.before) as { Namespace: string; Path: string; CreateIndex: number; ModifyIndex: number; CreateTime: number; ModifyTime: number } | undefined;
      if (!v) return [];
      return [ev('Variables', row.type === 'delete' ? 'VariableDeleted' : 'VariableUpserted', v.Path, v.Namespace, { Variable: { Namespace: v.Namespace, Path: v.Path, CreateIndex: v.CreateIndex, ModifyIndex: v.ModifyIndex, CreateTime: v.CreateTime, ModifyTime: v.ModifyTime } })];
    }
    default:
      return [];
  }
}

export interface Subscription {
  /** Next batch at or after the resume point; undefined when closed. */
  next(signal: AbortSignal): Promise<EventBatch | undefined>;
  close(): void;
}

export class EventBroker {
  private readonly buffer: EventBatch[] = [];
  private readonly subscribers = new Set<(b: EventBatch) => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly size = 1000) {}

  start(store: StateStore): void {
    this.unsubscribe = store.onChange((snap, _tables, rows) => {
      const events = rows.flatMap((r) => eventsFor(r, snap.revision));
      if (events.length === 0) return;
      const batch: EventBatch = { Index: snap.revision, Events: events };
      this.buffer.push(batch);
      if (this.buffer.length > this.size) this.buffer.shift();
      for (const s of this.subscribers) s(batch);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.subscribers.clear();
  }

  /** Subscribes from `index` (batches with a greater index are replayed from the buffer). */
  subscribe(index: number, filter: TopicFilter, namespace: string): Subscription {
    const queue: EventBatch[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const keep = (b: EventBatch): EventBatch | undefined => {
      const events = b.Events.filter((e) => matches(filter, namespace, e));
      return events.length ? { Index: b.Index, Events: events } : undefined;
    };
    for (const b of this.buffer) {
      if (b.Index <= index) continue;
      const k = keep(b);
      if (k) queue.push(k);
    }
    const sink = (b: EventBatch): void => {
      const k = keep(b);
      if (!k) return;
      queue.push(k);
      wake?.();
    };
    this.subscribers.add(sink);
    return {
      next: async (signal) => {
        while (queue.length === 0 && !closed && !signal.aborted) {
          await new Promise<void>((resolve) => {
            const onAbort = (): void => resolve();
            wake = () => {
              signal.removeEventListener('abort', onAbort);
              resolve();
            };
            signal.addEventListener('abort', onAbort, { once: true });
          });
          wake = undefined;
        }
        return closed || signal.aborted ? undefined : queue.shift();
      },
      close: () => {
        closed = true;
        this.subscribers.delete(sink);
        wake?.();
      },
    };
  }
}

// Shared fixtures for the scheduler's tests: deterministic node IDs, evaluations for a job,
// running allocations, and readers for what a plan places and stops. Test support only.
import type { Allocation, Job, Node } from '../structs/index.js';
import { mockAlloc, mockEval, mockNode } from '../structs/mock.js';
import type { Plan } from './planner.js';

export const NOW = Date.UTC(2026, 0, 1);

export function nodes(n: number, over: Partial<Node> = {}): Node[] {
  return Array.from({ length: n }, (_, i) => mockNode({ ID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, Name: `node-${i}`, ...over }));
}

export function evalFor(job: Job, over: Parameters<typeof mockEval>[0] = {}): ReturnType<typeof mockEval> {
  return mockEval({ ID: '11111111-2222-4333-8444-555555555555', JobID: job.ID, Type: job.Type, Priority: job.Priority, ...over });
}

export function placed(plan: Plan | undefined): Allocation[] {
  return Object.values(plan?.NodeAllocation ?? {}).flat();
}

export function stopped(plan: Plan | undefined): Allocation[] {
  return Object.values(plan?.NodeUpdate ?? {}).flat();
}

/** Running allocs of a job on the given nodes, names [0, n). */
export function running(job: Job, ns: Node[], n: number, over: Partial<Allocation> = {}): Allocation[] {
  return Array.from({ length: n }, (_, i) => mockAlloc(job, ns[i % ns.length], { ID: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`, Name: `${job.ID}.web[${i}]`, ClientStatus: 'running', ...over }));
}


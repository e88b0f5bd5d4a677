// Allocation tables as `job status`, `job allocs`, `eval status`, `alloc status` (ambiguous
// prefixes) and `node status` print them: short IDs and relative times, or full IDs, node names
// and absolute times with -verbose; a "Max Run Deadline" column for batch groups that set one.
import type { AllocListStub, Allocation } from '../../structs/alloc.js';
import type { Job } from '../../structs/job.js';
import { lookupTaskGroup } from '../../structs/job.js';
import { nanosToMs } from '../../structs/time.js';
import { formatTime, limit, prettyTimeDiff } from '../output.js';
import { formatNanoTime, formatTable } from './table.js';

/** When an allocation of a batch/sysbatch group with max_run_duration must finish (ms), if any. */
export function maxRunDeadline(job: Job | null | undefined, group: string, createTime: number): number | undefined {
  if (!job || (job.Type !== 'batch' && job.Type !== 'sysbatch') || !createTime) return undefined;
  const d = lookupTaskGroup(job, group)?.MaxRunDuration;
  if (!d || d <= 0) return undefined;
  return nanosToMs(createTime + d);
}

function deadlineCell(deadline: number | undefined, verbose: boolean, now: number): string {
  if (deadline === undefined) return '';
  return verbose ? formatTime(deadline) : prettyTimeDiff(deadline, now);
}

interface Row {
  ID: string;
  EvalID: string;
  NodeID: string;
  NodeName: string;
  TaskGroup: string;
  version: number;
  DesiredStatus: string;
  ClientStatus: string;
  CreateTime: number;
  ModifyTime: number;
  deadline: number | undefined;
}

function table(rows: Row[], verbose: boolean, length: number, withNodeName: boolean, now: number): string {
  if (rows.length === 0) return 'No allocations placed';
  const showDeadline = rows.some((r) => r.deadline !== undefined);
  const header = verbose ? ['ID', 'Eval ID', 'Node ID', ...(withNodeName ? ['Node Name'] : []), 'Task Group', 'Version', 'Desired', 'Status', 'Created', 'Modified'] : ['ID', 'Node ID', 'Task Group', 'Version', 'Desired', 'Status', 'Created', 'Modified'];
  if (showDeadline) header.push('Max Run Deadline');
  const out: string[][] = [header];
  for (const r of rows) {
    const row = verbose
      ? [limit(r.ID, length), limit(r.EvalID, length), limit(r.NodeID, length), ...(withNodeName ? [r.NodeName] : []), r.TaskGroup, String(r.version), r.DesiredStatus, r.ClientStatus, formatNanoTime(r.CreateTime), formatNanoTime(r.ModifyTime)]
      : [limit(r.ID, length), limit(r.NodeID, length), r.TaskGroup, String(r.version), r.DesiredStatus, r.ClientStatus, prettyTimeDiff(nanosToMs(r.CreateTime), now), prettyTimeDiff(nanosToMs(r.ModifyTime), now)];
    if (showDeadline) row.push(deadlineCell(r.deadline, verbose, now));
    out.push(row);
  }
  return formatTable(out);
}

/** Nomad's formatJobAllocListStubs / formatAllocListStubs (job may be absent: no deadline column). */
export function formatAllocListStubs(stubs: AllocListStub[], verbose: boolean, length: number, job?: Job | null, now = Date.now()): string {
  return table(
    stubs.map((a) => ({ ...a, version: a.JobVersion, deadline: maxRunDeadline(job, a.TaskGroup, a.CreateTime) })),
    verbose,
    length,
    true,
    now,
  );
}

/** Nomad's formatAllocList for full allocations (node status): no Node Name column. */
export function formatAllocList(allocs: Allocation[], verbose: boolean, length: number, now = Date.now()): string {
  return table(
    allocs.map((a) => ({ ...a, version: a.Job?.Version ?? 0, deadline: maxRunDeadline(a.Job, a.TaskGroup, a.CreateTime) })),
    verbose,
    length,
    false,
    now,
  );
}

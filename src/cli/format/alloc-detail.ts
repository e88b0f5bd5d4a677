// The parts of `alloc status` that describe one allocation: its KV header, addresses, and per
// task the resources, task times and recent events (Nomad's command/alloc_status.go). Resource
// figures are the allocated ones: Roam's clients do not report live usage yet.
import type { AllocMetric, Allocation, TaskState } from '../../structs/alloc.js';
import { formatAllocMetrics } from '../../structs/alloc-metrics.js';
import { formatDuration } from '../../structs/duration.js';
import { lookupTaskGroup, type Task } from '../../structs/job.js';
import { nanosToMs, parseGoTime } from '../../structs/time.js';
import { columnize, formatKV, formatTime, limit, prettyTimeDiff } from '../output.js';
import { maxRunDeadline } from './allocs.js';
import { taskEventDescription } from './task-events.js';
import { formatNanoTime, formatTable, humanizeIBytes, MiB } from './table.js';

/** Nomad's Allocation.RescheduleInfo: attempts used within the policy interval, and the limit. */
function rescheduleInfo(a: Allocation): [number, number] {
  const rp = a.Job ? lookupTaskGroup(a.Job, a.TaskGroup)?.ReschedulePolicy : undefined;
  if (!rp || rp.Unlimited) return [0, 0];
  const since = a.ModifyTime - rp.Interval;
  const attempts = (a.RescheduleTracker?.Events ?? []).filter((e) => rp.Interval === 0 || e.RescheduleTime > since).length;
  return [attempts, rp.Attempts];
}

export interface BasicInfoExtras {
  /** Pretty "in 5m" for the follow-up evaluation, when it is still in the future. */
  rescheduleEligibility: string;
}

export function formatAllocBasicInfo(a: Allocation, length: number, verbose: boolean, extras: BasicInfoExtras, now = Date.now()): string {
  const time = (ns: number): string => (verbose ? formatNanoTime(ns) : prettyTimeDiff(nanosToMs(ns), now));
  const rows: [string, string][] = [
    ['ID', a.ID],
    ['Eval ID', limit(a.EvalID, length)],
    ['Name', a.Name],
    ['Node ID', limit(a.NodeID, length)],
    ['Node Name', a.NodeName],
    ['Job ID', a.JobID],
    ['Job Version', String(a.Job?.Version ?? 0)],
    ['Client Status', a.ClientStatus],
    ['Client Description', a.ClientDescription],
    ['Desired Status', a.DesiredStatus],
    ['Desired Description', a.DesiredDescription],
    ['Created', time(a.CreateTime)],
    ['Modified', time(a.ModifyTime)],
  ];
  const deadline = maxRunDeadline(a.Job, a.TaskGroup, a.CreateTime);
  if (deadline !== undefined) rows.push(['Max Run Deadline', verbose ? formatTime(deadline) : prettyTimeDiff(deadline, now)]);
  if (a.DeploymentID) {
    const h = a.DeploymentStatus?.Healthy;
    rows.push(['Deployment ID', limit(a.DeploymentID, length)], ['Deployment Health', h === true ? 'healthy' : h === false ? 'unhealthy' : 'unset']);
    if (a.DeploymentStatus?.Canary) rows.push(['Canary', 'true']);
  }
  if ((a.RescheduleTracker?.Events ?? []).length > 0) {
    const [attempts, total] = rescheduleInfo(a);
    if (total > 0) rows.push(['Reschedule Attempts', `${attempts}/${total}`]);
  }
  if (a.NextAllocation) rows.push(['Replacement Alloc ID', limit(a.NextAllocation, length)]);
  if (extras.rescheduleEligibility) rows.push(['Reschedule Eligibility', extras.rescheduleEligibility]);
  if (verbose) {
    const m = a.Metrics;
    rows.push(['Evaluated Nodes', String(m?.NodesEvaluated ?? 0)], ['Filtered Nodes', String(m?.NodesFiltered ?? 0)], ['Exhausted Nodes', String(m?.NodesExhausted ?? 0)], ['Allocation Time', formatDuration(m?.AllocationTime ?? 0)], ['Failures', String(m?.CoalescedFailures ?? 0)]);
  }
  return formatKV(rows);
}

/** "Allocation Addresses" — only when the group network has ports. */
export function formatAllocNetworkInfo(a: Allocation): string | undefined {
  const shared = a.AllocatedResources?.Shared;
  const nw = shared?.Networks?.[0];
  if (!shared || !nw || ((nw.DynamicPorts ?? []).length === 0 && (nw.ReservedPorts ?? []).length === 0)) return undefined;
  const rows: string[][] = [['Label', 'Dynamic', 'Address']];
  const port = (label: string, value: number, to: number, ip: string): string[] => [label, 'yes', `${ip}:${value}${to > 0 ? ` -> ${to}` : ''}`];
  if ((shared.Ports ?? []).length > 0) for (const p of shared.Ports ?? []) rows.push(port(`*${p.Label}`, p.Value, p.To, p.HostIP));
  else for (const p of [...(nw.DynamicPorts ?? []), ...(nw.ReservedPorts ?? [])]) rows.push(port(p.Label, p.Value, p.To, nw.IP));
  const mode = nw.Mode ? ` (mode = ${JSON.stringify(nw.Mode)})` : '';
  return `Allocation Addresses${mode}:\n${formatTable(rows)}`;
}

function lifecycleName(t: Task | undefined): string {
  if (!t?.Lifecycle || !t.Lifecycle.Hook) return 'main';
  return `${t.Lifecycle.Hook}${t.Lifecycle.Sidecar ? ' sidecar' : ''}`;
}

/** Nomad's sortedTaskStateIterator: by name, then lifecycle tasks (non-sidecar first) before main tasks. */
export function sortedTaskNames(a: Allocation): string[] {
  const tasks = new Map((a.Job ? lookupTaskGroup(a.Job, a.TaskGroup)?.Tasks ?? [] : []).map((t) => [t.Name, t]));
  const rank = (name: string): number => {
    const lc = tasks.get(name)?.Lifecycle;
    if (!lc || !lc.Hook) return 2;
    return lc.Sidecar ? 1 : 0;
  };
  return Object.keys(a.TaskStates ?? {})
    .sort()
    .sort((x, y) => rank(x) - rank(y));
}

function taskResources(a: Allocation, task: string): string | undefined {
  const r = a.AllocatedResources?.Tasks[task];
  if (!r) return undefined;
  const addrs: string[] = [];
  for (const nw of r.Networks ?? []) for (const p of [...(nw.DynamicPorts ?? []), ...(nw.ReservedPorts ?? [])]) addrs.push(`${p.Label}: ${nw.IP}:${p.Value}`);
  const cores = r.Cpu.ReservedCores?.length ?? 0;
  const rows: string[][] = [[cores > 0 ? `CPU (${cores} cores)` : 'CPU', 'Memory', 'Disk', 'Addresses']];
  rows.push([`${r.Cpu.CpuShares} MHz`, humanizeIBytes(r.Memory.MemoryMB * MiB), humanizeIBytes((a.AllocatedResources?.Shared.DiskMB ?? 0) * MiB), addrs[0] ?? '']);
  const memMax = r.Memory.MemoryMaxMB && r.Memory.MemoryMaxMB !== r.Memory.MemoryMB ? `Max: ${humanizeIBytes(r.Memory.MemoryMaxMB * MiB)}` : '';
  if (memMax || addrs[1]) rows.push(['', memMax, '', addrs[1] ?? '']);
  for (const extra of addrs.slice(2)) rows.push(['', '', '', extra]);
  // Nomad prints this table without the <none> placeholder (formatListWithSpaces).
  return `Task Resources:\n${columnize(rows)}`;
}

const taskTime = (t: string): string => {
  const ms = parseGoTime(t);
  return ms ? formatTime(ms) : 'N/A';
};

function taskStatus(state: TaskState): string {
  const kv = formatKV([
    ['Started At', taskTime(state.StartedAt)],
    ['Finished At', taskTime(state.FinishedAt)],
    ['Total Restarts', String(state.Restarts)],
    ['Last Restart', taskTime(state.LastRestart)],
  ]);
  const events = [...(state.Events ?? [])].reverse().map((e) => [formatNanoTime(e.Time), e.Type, taskEventDescription(e)]);
  return `Task Events:\n${kv}\n\nRecent Events:\n${formatTable([['Time', 'Type', 'Description'], ...events])}`;
}

/** Every task: `Task "x" is "running"`, its resources and its events. */
export function formatTaskDetails(a: Allocation): string[] {
  const tasks = new Map((a.Job ? lookupTaskGroup(a.Job, a.TaskGroup)?.Tasks ?? [] : []).map((t) => [t.Name, t]));
  const out: string[] = [];
  for (const name of sortedTaskNames(a)) {
    const state = a.TaskStates?.[name];
    if (!state) continue;
    const t = tasks.get(name);
    const lc = t?.Lifecycle?.Hook ? ` (${lifecycleName(t)})` : '';
    out.push('', `Task ${JSON.stringify(name)}${lc} is ${JSON.stringify(state.State)}`);
    const res = taskResources(a, name);
    if (res) out.push(res);
    out.push('', taskStatus(state));
  }
  return out;
}

/** `alloc status -short`: the Tasks table. */
export function formatShortTaskStatus(a: Allocation): string {
  const tasks = new Map((a.Job ? lookupTaskGroup(a.Job, a.TaskGroup)?.Tasks ?? [] : []).map((t) => [t.Name, t]));
  const rows: string[][] = [['Name', 'State', 'Last Event', 'Time', 'Lifecycle']];
  for (const name of sortedTaskNames(a)) {
    const s = a.TaskStates?.[name];
    if (!s) continue;
    const last = s.Events?.[s.Events.length - 1];
    rows.push([name, s.State, last?.Type ?? '', last ? formatNanoTime(last.Time) : '', lifecycleName(tasks.get(name))]);
  }
  return `Tasks\n${formatTable(rows)}`;
}

/** Go's %.3g for scores. */
function g3(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** `alloc status -verbose` Placement Metrics: the failure lines plus the score table. */
export function formatPlacementMetrics(m: AllocMetric | null): string {
  if (!m) return '';
  const out = formatAllocMetrics(m, '  ');
  const meta = m.ScoreMetaData ?? [];
  if (meta.length > 0) {
    const names = [...new Set(meta.flatMap((s) => Object.keys(s.Scores)))].sort();
    const rows: string[][] = [['Node', ...names, 'final score']];
    for (const s of meta) rows.push([s.NodeID, ...names.map((n) => g3(s.Scores[n] ?? 0)), g3(s.NormScore)]);
    out.push(formatTable(rows));
  } else {
    for (const [name, score] of Object.entries(m.Scores ?? {})) out.push(`  * Score ${JSON.stringify(name)} = ${score.toFixed(6)}`);
  }
  return out.join('\n');
}

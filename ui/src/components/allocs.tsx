// Tables of allocations and evaluations, and the plain-language explanation of placement
// failures (worded as Nomad's CLI words them), shared by the job, client and evaluation pages.
import { Link, useLocation } from 'wouter';
import type { AllocListStub, AllocMetric, Evaluation } from '../api/types';
import { ago, shortId } from '../lib/format';
import { allocPath, jobPath, nodePath } from '../lib/paths';
import { useNow } from './bits';
import { Empty } from './states';
import { StatusBadge } from './status';
import { DataTable, type Column } from './table';

/** Stubs carry JobVersion; full allocations (a node's list) carry the job itself. */
function jobVersion(a: AllocListStub): number {
  return a.JobVersion ?? (a as { Job?: { Version?: number } | null }).Job?.Version ?? 0;
}

function restarts(a: AllocListStub): number {
  return Object.values(a.TaskStates ?? {}).reduce((n, t) => n + (t.Restarts ?? 0), 0);
}

export function AllocationsTable({ allocs, show = ['job', 'group', 'node'], pageSize = 10, empty }: { allocs: readonly AllocListStub[]; show?: ('job' | 'group' | 'node')[]; pageSize?: number; empty?: string }) {
  const [, navigate] = useLocation();
  const now = useNow();
  const cols: Column<AllocListStub>[] = [
    {
      key: 'id',
      header: 'ID',
      sort: (a) => a.ID,
      cell: (a) => (
        <Link href={allocPath(a.ID)} className="mono strong">
          {shortId(a.ID)}
        </Link>
      ),
    },
    ...(show.includes('job')
      ? [
          {
            key: 'job',
            header: 'Job',
            sort: (a: AllocListStub) => a.JobID,
            cell: (a: AllocListStub) => <Link href={jobPath(a.JobID, a.Namespace)}>{a.JobID}</Link>,
          },
        ]
      : []),
    ...(show.includes('group') ? [{ key: 'group', header: 'Task group', sort: (a: AllocListStub) => a.TaskGroup, cell: (a: AllocListStub) => a.TaskGroup }] : []),
    { key: 'created', header: 'Created', sort: (a) => a.CreateTime, cell: (a) => <span title={new Date(a.CreateTime / 1e6).toLocaleString()}>{ago(a.CreateTime, now)}</span> },
    { key: 'modified', header: 'Modified', sort: (a) => a.ModifyTime, cell: (a) => ago(a.ModifyTime, now) },
    {
      key: 'status',
      header: 'Status',
      sort: (a) => a.ClientStatus,
      cell: (a) => (
        <>
          <StatusBadge status={a.ClientStatus} title={a.ClientDescription} />
          {a.DesiredStatus !== 'run' && a.ClientStatus === 'running' && <span className="muted small"> ({a.DesiredStatus})</span>}
        </>
      ),
    },
    { key: 'version', header: 'Version', sort: jobVersion, cell: jobVersion, className: 'num' },
    ...(show.includes('node')
      ? [
          {
            key: 'node',
            header: 'Client',
            sort: (a: AllocListStub) => a.NodeName,
            cell: (a: AllocListStub) => (
              <Link href={nodePath(a.NodeID)} className="mono">
                {a.NodeName || shortId(a.NodeID)}
              </Link>
            ),
          },
        ]
      : []),
    { key: 'restarts', header: 'Restarts', sort: restarts, cell: restarts, className: 'num' },
  ];
  return (
    <DataTable
      label="Allocations"
      testId="allocations-table"
      rows={allocs}
      columns={cols}
      rowKey={(a) => a.ID}
      onOpen={(a) => navigate(allocPath(a.ID))}
      pageSize={pageSize}
      initialSort={{ key: 'created', desc: true }}
      empty={<Empty title="No allocations">{empty && <p>{empty}</p>}</Empty>}
    />
  );
}

const byKey = <T,>(o: Record<string, T> | null | undefined): [string, T][] => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Why a placement failed, one line per reason (Nomad's formatAllocMetrics). */
export function explainMetric(m: AllocMetric): string[] {
  const out: string[] = [];
  if (m.NodesEvaluated === 0) out.push('No nodes were eligible for evaluation');
  for (const [dc, n] of byKey(m.NodesAvailable)) if (n === 0) out.push(`No nodes are available in datacenter "${dc}"`);
  for (const [cls, n] of byKey(m.ClassFiltered)) out.push(`Class "${cls}": ${n} nodes excluded by filter`);
  for (const [c, n] of byKey(m.ConstraintFiltered)) out.push(`Constraint "${c}": ${n} nodes excluded by filter`);
  if (m.NodesExhausted > 0) out.push(`Resources exhausted on ${m.NodesExhausted} nodes`);
  for (const [cls, n] of byKey(m.ClassExhausted)) out.push(`Class "${cls}" exhausted on ${n} nodes`);
  for (const [dim, n] of byKey(m.DimensionExhausted)) out.push(`Dimension "${dim}" exhausted on ${n} nodes`);
  for (const q of m.QuotaExhausted ?? []) out.push(`Quota limit hit "${q}"`);
  return out;
}

export function PlacementFailures({ failed, testId }: { failed: Record<string, AllocMetric> | null | undefined; testId?: string }) {
  const groups = byKey(failed);
  if (groups.length === 0) return null;
  return (
    <div className="placement-failures" data-testid={testId}>
      {groups.map(([tg, m]) => (
        <div key={tg} className="failure">
          <h4>
            Task group “{tg}” failed to place {m.CoalescedFailures + 1} {m.CoalescedFailures === 0 ? 'allocation' : 'allocations'}
          </h4>
          <ul>
            {explainMetric(m).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          <p className="muted small">
            Nodes evaluated: {m.NodesEvaluated}, filtered: {m.NodesFiltered}, exhausted: {m.NodesExhausted}.
          </p>
        </div>
      ))}
    </div>
  );
}

export function EvaluationsTable({ evals, showJob = false, onOpen, pageSize = 10, activeId }: { evals: readonly Evaluation[]; showJob?: boolean; onOpen?: (e: Evaluation) => void; pageSize?: number; activeId?: string }) {
  const now = useNow();
  const cols: Column<Evaluation>[] = [
    { key: 'id', header: 'ID', sort: (e) => e.ID, cell: (e) => <span className="mono strong">{shortId(e.ID)}</span> },
    ...(showJob ? [{ key: 'job', header: 'Job', sort: (e: Evaluation) => e.JobID, cell: (e: Evaluation) => (e.JobID ? <Link href={jobPath(e.JobID, e.Namespace)}>{e.JobID}</Link> : '–') }] : []),
    { key: 'priority', header: 'Priority', sort: (e) => e.Priority, cell: (e) => e.Priority, className: 'num' },
    { key: 'created', header: 'Created', sort: (e) => e.CreateTime, cell: (e) => ago(e.CreateTime, now) },
    { key: 'trigger', header: 'Triggered by', sort: (e) => e.TriggeredBy, cell: (e) => e.TriggeredBy },
    { key: 'status', header: 'Status', sort: (e) => e.Status, cell: (e) => <StatusBadge status={e.Status} title={e.StatusDescription} /> },
    {
      key: 'placement',
      header: 'Placement failures',
      sort: (e) => Object.keys(e.FailedTGAllocs ?? {}).length,
      cell: (e) => {
        const n = Object.keys(e.FailedTGAllocs ?? {}).length;
        if (e.Status === 'blocked') return <span className="warn">blocked: waiting for capacity</span>;
        return n > 0 ? <span className="bad">{n} task group{n === 1 ? '' : 's'}</span> : <span className="muted">none</span>;
      },
    },
  ];
  return (
    <DataTable
      label="Evaluations"
      testId="evaluations-table"
      rows={evals}
      columns={cols}
      rowKey={(e) => e.ID}
      pageSize={pageSize}
      initialSort={{ key: 'created', desc: true }}
      rowClass={(e) => (e.ID === activeId ? 'selected' : '')}
      {...(onOpen ? { onOpen } : {})}
      empty={<Empty title="No evaluations">Evaluations appear when a job is registered, changed or stopped, or when a node changes.</Empty>}
    />
  );
}

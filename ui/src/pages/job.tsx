// A job: header with status and actions (stop, start, purge, force launch, dispatch), then tabs —
// overview (task groups, recent allocations, children of periodic and parameterized jobs, placement
// failures), allocations, evaluations, versions, definition and, for parameterized jobs, dispatch.
// Every part is live through blocking queries on the job's own endpoints. Any other segment after
// the job is one of its task groups (job-group.tsx).
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { forcePeriodic, startJob, stopJob } from '../api/actions';
import { errorMessage } from '../api/client';
import type { AllocListStub, Evaluation, Job, JobListStub, JobSummary } from '../api/types';
import { useWatch } from '../api/watch';
import { AllocationsTable, EvaluationsTable, PlacementFailures } from '../components/allocs';
import { ConfirmButton, KeyValues, PageHeader, Section, Tabs, useNow } from '../components/bits';
import { Empty, ErrorView, Loading, Notice, StaleBanner } from '../components/states';
import { StatusBadge, SummaryBar, SUMMARY_KEYS } from '../components/status';
import { DataTable, type Column } from '../components/table';
import { ago, formatTime, jobTypeLabel, plural } from '../lib/format';
import { groupPath, jobApi, jobPath, parseJobRef } from '../lib/paths';
import { TaskGroupPage } from './job-group';
import { JobDefinition, JobDispatch, JobVersions } from './job-tabs';

const TABS = ['', 'allocations', 'evaluations', 'versions', 'definition', 'dispatch'];

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface JobCtx {
  job: Job;
  id: string;
  ns: string;
}

export function JobPage() {
  const params = useParams<{ ref: string; tab?: string }>();
  const { id, namespace: ns } = parseJobRef(params.ref);
  const job = useWatch<Job>(jobApi(id, ns));
  const [, navigate] = useLocation();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: ReactNode } | undefined>();

  // A 404 after data was shown means the job was purged or garbage-collected meanwhile.
  if (job.data === undefined || job.error?.status === 404) {
    if (job.error) return <ErrorView error={job.error} what={`job “${id}”`} back={{ to: '/jobs', label: 'All jobs' }} />;
    return <Loading what={`job ${id}`} />;
  }
  const j = job.data;
  const base = jobPath(j.ID, j.Namespace);
  const tab = params.tab ?? '';
  // Any other segment is a task group, as in Nomad's UI (/jobs/<id>@<ns>/<group>).
  if (!TABS.includes(tab)) {
    const name = safeDecode(tab);
    const group = j.TaskGroups?.find((g) => g.Name === name);
    if (!group) return <ErrorView error={new Error(`Job “${j.ID}” has no task group named “${name}”.`)} what="task group" back={{ to: base, label: `Job ${j.ID}` }} />;
    return <TaskGroupPage job={j} group={group} error={job.error} />;
  }
  const isParent = j.Periodic !== null || j.ParameterizedJob !== null;
  const act = async (what: string, fn: () => Promise<unknown>, done?: ReactNode): Promise<void> => {
    try {
      await fn();
      setNotice(done ? { kind: 'ok', text: done } : undefined);
    } catch (err) {
      setNotice({ kind: 'error', text: `Could not ${what}: ${errorMessage(err)}` });
    }
  };
  const tabs = [
    { to: base, label: 'Overview', exact: true },
    ...(isParent ? [] : [{ to: `${base}/allocations`, label: 'Allocations' }]),
    { to: `${base}/evaluations`, label: 'Evaluations' },
    { to: `${base}/versions`, label: 'Versions' },
    { to: `${base}/definition`, label: 'Definition' },
    ...(j.ParameterizedJob && !j.Dispatched ? [{ to: `${base}/dispatch`, label: 'Dispatch' }] : []),
  ];
  const crumbs = [{ to: '/jobs', label: 'Jobs' }, ...(j.ParentID ? [{ to: jobPath(j.ParentID, j.Namespace), label: j.ParentID }] : [])];
  const ctx: JobCtx = { job: j, id, ns };
  return (
    <div className="page">
      <PageHeader title={<span data-testid="job-name">{j.ParentID ? j.ID.slice(j.ParentID.length + 1) : j.Name}</span>} badge={<StatusBadge status={j.Status} title={j.StatusDescription} />} crumbs={crumbs}>
        {j.Periodic && !j.Stop && (
          <button type="button" className="btn" data-testid="force-launch" onClick={() => void act('launch the periodic job', () => forcePeriodic(j.ID, j.Namespace), 'Launched a new child job.')}>
            Force launch
          </button>
        )}
        {j.ParameterizedJob && !j.Dispatched && !j.Stop && (
          <Link href={`${base}/dispatch`} className="btn btn-primary" data-testid="dispatch-link">
            Dispatch
          </Link>
        )}
        {j.Stop ? (
          <button type="button" className="btn btn-primary" data-testid="start-job" onClick={() => void act('start the job', () => startJob(j.ID, j.Namespace), 'Job started again.')}>
            Start
          </button>
        ) : (
          <ConfirmButton label="Stop" confirm="Yes, stop job" danger testId="stop-job" onConfirm={() => act('stop the job', () => stopJob(j.ID, j.Namespace), 'Job stopped.')} />
        )}
        <ConfirmButton
          label="Purge"
          confirm="Yes, purge job"
          danger
          testId="purge-job"
          onConfirm={() =>
            act('purge the job', async () => {
              await stopJob(j.ID, j.Namespace, true);
              navigate('/jobs');
            })
          }
        />
      </PageHeader>
      {notice && (
        <Notice kind={notice.kind} onClose={() => setNotice(undefined)}>
          {notice.text}
        </Notice>
      )}
      <StaleBanner error={job.error} />
      <Tabs tabs={tabs} />
      {tab === 'allocations' ? (
        <JobAllocations {...ctx} />
      ) : tab === 'evaluations' ? (
        <JobEvaluations {...ctx} />
      ) : tab === 'versions' ? (
        <JobVersions {...ctx} />
      ) : tab === 'definition' ? (
        <JobDefinition {...ctx} />
      ) : tab === 'dispatch' ? (
        <JobDispatch {...ctx} />
      ) : (
        <JobOverview {...ctx} />
      )}
    </div>
  );
}

function JobFacts({ job: j }: JobCtx) {
  const items: [ReactNode, ReactNode][] = [
    ['Type', <span className="mono">{jobTypeLabel(j)}</span>],
    ['Priority', j.Priority],
    ['Namespace', j.Namespace],
    ['Datacenters', (j.Datacenters ?? []).join(', ') || '–'],
    ['Node pool', j.NodePool || 'default'],
    ['Version', j.Version],
    ['Submitted', formatTime(j.SubmitTime)],
  ];
  if (j.ParentID) items.push(['Parent', <Link href={jobPath(j.ParentID, j.Namespace)}>{j.ParentID}</Link>]);
  if (j.Periodic) {
    const specs = j.Periodic.Specs?.length ? j.Periodic.Specs : j.Periodic.Spec ? [j.Periodic.Spec] : [];
    items.push(['Cron', <span className="mono">{specs.join(', ')}</span>]);
    items.push(['Prohibit overlap', String(j.Periodic.ProhibitOverlap ?? false)]);
    if (j.Periodic.TimeZone) items.push(['Time zone', j.Periodic.TimeZone]);
  }
  if (j.ParameterizedJob) {
    items.push(['Payload', j.ParameterizedJob.Payload || 'optional']);
    items.push(['Required meta', (j.ParameterizedJob.MetaRequired ?? []).join(', ') || '–']);
    items.push(['Optional meta', (j.ParameterizedJob.MetaOptional ?? []).join(', ') || '–']);
  }
  for (const [k, v] of Object.entries(j.Meta ?? {})) items.push([<span className="mono">meta.{k}</span>, <span className="mono">{v}</span>]);
  return <KeyValues items={items} testId="job-facts" />;
}

function JobOverview(ctx: JobCtx) {
  const { job: j, ns } = ctx;
  const isParent = j.Periodic !== null || j.ParameterizedJob !== null;
  const summary = useWatch<JobSummary>(jobApi(j.ID, ns, 'summary'));
  return (
    <div className="overview">
      <div className="grid-2">
        <Section title="Details">
          <JobFacts {...ctx} />
        </Section>
        <Section title={isParent ? 'Children' : 'Allocation status'}>
          {summary.data === undefined ? (
            summary.error ? <ErrorView error={summary.error} what="job summary" /> : <Loading what="summary" />
          ) : isParent ? (
            <ChildrenCounts summary={summary.data} />
          ) : (
            <GroupSummaries summary={summary.data} job={j} />
          )}
        </Section>
      </div>
      {isParent ? <JobChildren {...ctx} /> : <RecentAllocations {...ctx} />}
      <LatestFailures {...ctx} />
    </div>
  );
}

function ChildrenCounts({ summary }: { summary: JobSummary }) {
  const c = summary.Children ?? { Pending: 0, Running: 0, Dead: 0 };
  const total = c.Pending + c.Running + c.Dead;
  return (
    <div className="children-counts" data-testid="children-summary">
      <div className="big-number">
        <strong data-testid="children-total">{total}</strong> {total === 1 ? 'child job' : 'child jobs'}
      </div>
      <ul className="legend">
        <li>
          <span className="dot seg-starting" />
          Pending <strong>{c.Pending}</strong>
        </li>
        <li>
          <span className="dot seg-running" />
          Running <strong>{c.Running}</strong>
        </li>
        <li>
          <span className="dot seg-complete" />
          Dead <strong>{c.Dead}</strong>
        </li>
      </ul>
    </div>
  );
}

function GroupSummaries({ summary, job: j }: { summary: JobSummary; job: Job }) {
  const groups = Object.entries(summary.Summary ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (groups.length === 0) return <Empty title="No task groups" />;
  return (
    <div className="group-summaries" data-testid="group-summaries">
      {groups.map(([name, s]) => (
        <div key={name} className="group-summary">
          <div className="group-summary-head">
            <Link href={groupPath(j.ID, j.Namespace, name)} className="strong">
              {name}
            </Link>
            <span className="muted small">{SUMMARY_KEYS.filter((k) => s[k] > 0).map((k) => `${s[k]} ${k.toLowerCase()}`).join(' · ') || 'no allocations'}</span>
          </div>
          <SummaryBar summary={s} label={`${name} allocations`} />
        </div>
      ))}
    </div>
  );
}

function RecentAllocations({ job: j, ns }: JobCtx) {
  const allocs = useWatch<AllocListStub[]>(jobApi(j.ID, ns, 'allocations'));
  return (
    <Section
      title="Recent allocations"
      actions={
        <Link href={jobPath(j.ID, j.Namespace, 'allocations')} className="small">
          View all
        </Link>
      }
    >
      {allocs.data === undefined ? (
        allocs.error ? <ErrorView error={allocs.error} what="allocations" /> : <Loading what="allocations" />
      ) : (
        <AllocationsTable allocs={allocs.data} show={['group', 'node']} pageSize={5} empty={j.Stop ? 'The job is stopped.' : 'The scheduler has not placed any allocation yet; see Evaluations for why.'} />
      )}
    </Section>
  );
}

function JobChildren({ job: j, ns }: JobCtx) {
  const children = useWatch<JobListStub[]>(`/v1/jobs?namespace=${encodeURIComponent(ns)}&prefix=${encodeURIComponent(`${j.ID}/`)}`);
  const [, navigate] = useLocation();
  const now = useNow(1000);
  const rows = (children.data ?? []).filter((c) => c.ParentID === j.ID);
  const cols: Column<JobListStub>[] = [
    {
      key: 'name',
      header: 'Name',
      sort: (c) => c.ID,
      cell: (c) => (
        <Link href={jobPath(c.ID, c.Namespace)} className="mono strong">
          {c.ID.slice(j.ID.length + 1)}
        </Link>
      ),
    },
    { key: 'submitted', header: 'Submitted', sort: (c) => c.SubmitTime, cell: (c) => <span title={formatTime(c.SubmitTime)}>{ago(c.SubmitTime, now)}</span> },
    { key: 'status', header: 'Status', sort: (c) => c.Status, cell: (c) => <StatusBadge status={c.Status} /> },
    { key: 'summary', header: 'Allocations', cell: (c) => <SummaryBar summary={Object.values(c.JobSummary?.Summary ?? {}).reduce((a, s) => ({ Queued: a.Queued + s.Queued, Starting: a.Starting + s.Starting, Running: a.Running + s.Running, Complete: a.Complete + s.Complete, Failed: a.Failed + s.Failed, Lost: a.Lost + s.Lost, Unknown: a.Unknown + s.Unknown }), { Queued: 0, Starting: 0, Running: 0, Complete: 0, Failed: 0, Lost: 0, Unknown: 0 })} />, className: 'col-summary' },
  ];
  return (
    <Section title={<span data-testid="children-heading">{plural(rows.length, 'child job')}</span>} testId="job-children">
      {children.data === undefined ? (
        children.error ? (
          <ErrorView error={children.error} what="child jobs" />
        ) : (
          <Loading what="child jobs" />
        )
      ) : (
        <DataTable
          label="Child jobs"
          testId="children-table"
          rows={rows}
          columns={cols}
          rowKey={(c) => c.ID}
          onOpen={(c) => navigate(jobPath(c.ID, c.Namespace))}
          initialSort={{ key: 'submitted', desc: true }}
          pageSize={10}
          empty={
            <Empty title="No child jobs yet">
              {j.Periodic ? <p>The next launch follows the cron schedule; “Force launch” starts one now.</p> : <p>Dispatch this job to create one: the Dispatch button above, or <code>roam job dispatch {j.ID}</code>.</p>}
            </Empty>
          }
        />
      )}
    </Section>
  );
}

/** The newest evaluation's placement failures, when it has any (why allocations are missing). */
function LatestFailures({ job: j, ns }: JobCtx) {
  const evals = useWatch<Evaluation[]>(j.Periodic || j.ParameterizedJob ? null : jobApi(j.ID, ns, 'evaluations'));
  const latest = [...(evals.data ?? [])].sort((a, b) => b.CreateIndex - a.CreateIndex).find((e) => Object.keys(e.FailedTGAllocs ?? {}).length > 0 || e.Status === 'blocked');
  const failed = latest?.FailedTGAllocs ?? (evals.data ?? []).find((e) => e.ID === latest?.PreviousEval)?.FailedTGAllocs;
  if (!latest || !failed || Object.keys(failed).length === 0) return null;
  return (
    <Section title="Placement failures">
      <PlacementFailures failed={failed} testId="placement-failures" />
    </Section>
  );
}

function JobAllocations({ job: j, ns }: JobCtx) {
  const allocs = useWatch<AllocListStub[]>(jobApi(j.ID, ns, 'allocations'));
  if (allocs.data === undefined) return allocs.error ? <ErrorView error={allocs.error} what="allocations" /> : <Loading what="allocations" />;
  return <AllocationsTable allocs={allocs.data} show={['group', 'node']} pageSize={25} empty="The scheduler has not placed any allocation for this job." />;
}

function JobEvaluations({ job: j, ns }: JobCtx) {
  const evals = useWatch<Evaluation[]>(jobApi(j.ID, ns, 'evaluations'));
  const [selected, setSelected] = useState<string | undefined>();
  if (evals.data === undefined) return evals.error ? <ErrorView error={evals.error} what="evaluations" /> : <Loading what="evaluations" />;
  const sel = evals.data.find((e) => e.ID === selected);
  return (
    <>
      <EvaluationsTable evals={evals.data} onOpen={(e) => setSelected(e.ID)} pageSize={25} {...(selected ? { activeId: selected } : {})} />
      {sel && (
        <Section title={`Evaluation ${sel.ID}`}>
          <KeyValues
            items={[
              ['Status', <StatusBadge status={sel.Status} />],
              ['Description', sel.StatusDescription || '–'],
              ['Triggered by', sel.TriggeredBy],
              ['Type', sel.Type],
              ['Previous', sel.PreviousEval || '–'],
              ['Next', sel.NextEval || '–'],
              ['Blocked eval', sel.BlockedEval || '–'],
              ['Queued allocations', Object.entries(sel.QueuedAllocations ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ') || '–'],
            ]}
          />
          {Object.keys(sel.FailedTGAllocs ?? {}).length > 0 ? <PlacementFailures failed={sel.FailedTGAllocs} /> : <p className="muted">Every allocation this evaluation wanted was placed.</p>}
        </Section>
      )}
    </>
  );
}

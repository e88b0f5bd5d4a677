// Jobs: every parent job (children of periodic and parameterized jobs live on their parent's
// page), live through one blocking query on /v1/jobs. Search, filters by status, type and
// namespace kept in the URL; keyboard navigation from the table.
import { useMemo } from 'react';
import { Link, useLocation } from 'wouter';
import type { JobListStub } from '../api/types';
import { useWatch } from '../api/watch';
import { PageHeader, SearchBox, Select, useNow } from '../components/bits';
import { Empty, ErrorView, Loading, StaleBanner } from '../components/states';
import { StatusBadge, SummaryBar, sumSummaries } from '../components/status';
import { DataTable, type Column } from '../components/table';
import { ago, jobTypeLabel, plural } from '../lib/format';
import { jobPath } from '../lib/paths';
import { useQueryState } from '../lib/use-query-state';

const STATUSES = ['pending', 'running', 'dead'] as const;
const TYPES = ['service', 'batch', 'system', 'sysbatch', 'batch/periodic', 'batch/parameterized'] as const;

function ChildrenSummary({ job }: { job: JobListStub }) {
  const c = job.JobSummary?.Children;
  const total = c ? c.Pending + c.Running + c.Dead : 0;
  return (
    <span className="children-summary" title={c ? `${c.Pending} pending, ${c.Running} running, ${c.Dead} dead` : ''}>
      {plural(total, 'child', 'children')}
      {c && c.Running > 0 && <span className="pill pill-good">{c.Running} running</span>}
      {c && c.Pending > 0 && <span className="pill pill-wait">{c.Pending} pending</span>}
    </span>
  );
}

export function JobsList() {
  const jobs = useWatch<JobListStub[]>('/v1/jobs?namespace=*');
  const [params, setParams] = useQueryState();
  const [, navigate] = useLocation();
  const now = useNow();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? '';
  const ns = params.get('namespace') ?? '';

  const parents = useMemo(() => (jobs.data ?? []).filter((j) => j.ParentID === ''), [jobs.data]);
  const namespaces = useMemo(() => [...new Set(parents.map((j) => j.Namespace))].sort(), [parents]);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return parents.filter((j) => (!needle || j.Name.toLowerCase().includes(needle) || j.ID.toLowerCase().includes(needle)) && (!status || j.Status === status) && (!type || jobTypeLabel(j) === type) && (!ns || j.Namespace === ns));
  }, [parents, q, status, type, ns]);

  const columns: Column<JobListStub>[] = [
    {
      key: 'name',
      header: 'Name',
      sort: (j) => j.Name.toLowerCase(),
      cell: (j) => (
        <Link href={jobPath(j.ID, j.Namespace)} className="strong">
          {j.Name}
        </Link>
      ),
    },
    ...(namespaces.length > 1 ? [{ key: 'ns', header: 'Namespace', sort: (j: JobListStub) => j.Namespace, cell: (j: JobListStub) => j.Namespace }] : []),
    { key: 'status', header: 'Status', sort: (j) => j.Status, cell: (j) => <StatusBadge status={j.Status} title={j.StatusDescription} /> },
    { key: 'type', header: 'Type', sort: (j) => jobTypeLabel(j), cell: (j) => <span className="mono">{jobTypeLabel(j)}</span> },
    { key: 'priority', header: 'Priority', sort: (j) => j.Priority, cell: (j) => j.Priority, className: 'num' },
    { key: 'groups', header: 'Groups', sort: (j) => Object.keys(j.JobSummary?.Summary ?? {}).length, cell: (j) => Object.keys(j.JobSummary?.Summary ?? {}).length, className: 'num' },
    {
      key: 'summary',
      header: 'Summary',
      cell: (j) => (j.Periodic || j.ParameterizedJob ? <ChildrenSummary job={j} /> : <SummaryBar summary={sumSummaries(j.JobSummary?.Summary)} label={`${j.Name} allocations`} />),
      className: 'col-summary',
    },
    { key: 'submitted', header: 'Submitted', sort: (j) => j.SubmitTime, cell: (j) => <span title={new Date(j.SubmitTime / 1e6).toLocaleString()}>{ago(j.SubmitTime, now)}</span> },
  ];

  const filtered = q || status || type || ns;
  return (
    <div className="page">
      <PageHeader title="Jobs">
        <Link href="/jobs/run" className="btn btn-primary" data-testid="run-job">
          Run job
        </Link>
      </PageHeader>
      <div className="toolbar">
        <SearchBox value={q} onChange={(v) => setParams({ q: v })} placeholder="Search jobs by name" label="Search jobs" />
        <Select label="Status" value={status} onChange={(v) => setParams({ status: v })} options={[{ value: '', label: 'All' }, ...STATUSES.map((s) => ({ value: s, label: s }))]} testId="filter-status" />
        <Select label="Type" value={type} onChange={(v) => setParams({ type: v })} options={[{ value: '', label: 'All' }, ...TYPES.map((s) => ({ value: s, label: s }))]} testId="filter-type" />
        {namespaces.length > 1 && <Select label="Namespace" value={ns} onChange={(v) => setParams({ namespace: v })} options={[{ value: '', label: 'All' }, ...namespaces.map((s) => ({ value: s, label: s }))]} />}
        <span className="toolbar-count">{jobs.data && `${rows.length} of ${plural(parents.length, 'job')}`}</span>
      </div>
      <StaleBanner error={jobs.data ? jobs.error : undefined} />
      {jobs.data === undefined ? (
        jobs.error ? (
          <ErrorView error={jobs.error} what="jobs" />
        ) : (
          <Loading what="jobs" />
        )
      ) : (
        <DataTable
          label="Jobs"
          testId="jobs-table"
          rows={rows}
          columns={columns}
          rowKey={(j) => `${j.Namespace}/${j.ID}`}
          onOpen={(j) => navigate(jobPath(j.ID, j.Namespace))}
          initialSort={{ key: 'submitted', desc: true }}
          empty={
            filtered ? (
              <Empty title="No job matches these filters">
                <button type="button" className="btn" onClick={() => setParams({ q: '', status: '', type: '', namespace: '' })}>
                  Clear the filters
                </button>
              </Empty>
            ) : (
              <Empty title="No jobs yet">
                <p>
                  Submit one from the <Link href="/jobs/run">Run job</Link> page, or with <code>roam job run example.nomad.hcl</code> (<code>roam job init</code> writes an example).
                </p>
              </Empty>
            )
          }
        />
      )}
    </div>
  );
}

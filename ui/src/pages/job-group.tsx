// A task group of a job (Nomad UI's /jobs/<id>@<namespace>/<group>): its allocation summary, the
// resources each allocation reserves, its tasks, its allocations and its services — as written in
// the job and as registered by the running allocations. Live through the job's own endpoints.
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { AllocListStub, Job, JobSummary, ServiceRegistration, ServiceSpec, Task, TaskGroup } from '../api/types';
import { useWatch } from '../api/watch';
import { AllocationsTable } from '../components/allocs';
import { KeyValues, PageHeader, Section } from '../components/bits';
import { Empty, ErrorView, Loading, StaleBanner } from '../components/states';
import { SummaryBar } from '../components/status';
import { DataTable, type Column } from '../components/table';
import { duration, mhz, mib, plural } from '../lib/format';
import { jobApi, jobPath, servicePath } from '../lib/paths';
import { Tags } from './services';

const sum = (tasks: readonly Task[], f: (t: Task) => number | undefined): number => tasks.reduce((n, t) => n + (f(t) ?? 0), 0);
const secs = (ns: number): string => duration(Math.round(ns / 1e9));

/** The group's services and its tasks', each with the task it belongs to ('' for the group's own). */
function servicesOf(g: TaskGroup): ServiceSpec[] {
  return [...(g.Services ?? []), ...(g.Tasks ?? []).flatMap((t) => (t.Services ?? []).map((s) => ({ ...s, TaskName: s.TaskName || t.Name })))];
}

export function TaskGroupPage({ job: j, group: g, error }: { job: Job; group: TaskGroup; error: unknown }) {
  const ns = j.Namespace;
  const summary = useWatch<JobSummary>(jobApi(j.ID, ns, 'summary'));
  const allocs = useWatch<AllocListStub[]>(jobApi(j.ID, ns, 'allocations'));
  const tasks = g.Tasks ?? [];
  const mine = (allocs.data ?? []).filter((a) => a.TaskGroup === g.Name);
  const s = summary.data?.Summary?.[g.Name];
  const cpu = sum(tasks, (t) => t.Resources?.CPU);
  const mem = sum(tasks, (t) => t.Resources?.MemoryMB);
  const memMax = sum(tasks, (t) => (t.Resources?.MemoryMaxMB || t.Resources?.MemoryMB));
  const facts: [ReactNode, ReactNode][] = [
    ['Job', <Link href={jobPath(j.ID, ns)}>{j.Name}</Link>],
    ['Desired count', <span data-testid="group-count">{g.Count}</span>],
    ['Tasks', tasks.length],
    ['Reserved CPU', mhz(cpu)],
    ['Reserved memory', memMax > mem ? `${mib(mem)} (max ${mib(memMax)})` : mib(mem)],
    ['Ephemeral disk', `${mib(g.EphemeralDisk?.SizeMB ?? 0)}${g.EphemeralDisk?.Sticky ? ', sticky' : ''}${g.EphemeralDisk?.Migrate ? ', migrated' : ''}`],
  ];
  if (g.RestartPolicy) facts.push(['Restart policy', `${plural(g.RestartPolicy.Attempts, 'attempt')} in ${secs(g.RestartPolicy.Interval)}, ${secs(g.RestartPolicy.Delay)} apart, then ${g.RestartPolicy.Mode}`]);
  if (g.ReschedulePolicy) facts.push(['Reschedule policy', g.ReschedulePolicy.Unlimited ? 'unlimited' : g.ReschedulePolicy.Attempts > 0 ? `${plural(g.ReschedulePolicy.Attempts, 'attempt')} in ${secs(g.ReschedulePolicy.Interval)}` : 'never']);
  for (const [k, v] of Object.entries(g.Meta ?? {})) facts.push([<span className="mono">meta.{k}</span>, <span className="mono">{v}</span>]);

  const taskCols: Column<Task>[] = [
    { key: 'name', header: 'Task', sort: (t) => t.Name, cell: (t) => <span className="strong">{t.Name}</span> },
    { key: 'driver', header: 'Driver', sort: (t) => t.Driver, cell: (t) => <span className="mono">{t.Driver}</span> },
    { key: 'lifecycle', header: 'Lifecycle', cell: (t) => (t.Lifecycle ? `${t.Lifecycle.Hook}${t.Lifecycle.Sidecar ? ' (sidecar)' : ''}` : <span className="muted">main</span>) },
    { key: 'cpu', header: 'CPU', sort: (t) => t.Resources?.CPU ?? 0, cell: (t) => mhz(t.Resources?.CPU ?? 0), className: 'num' },
    { key: 'memory', header: 'Memory', sort: (t) => t.Resources?.MemoryMB ?? 0, cell: (t) => mib(t.Resources?.MemoryMB ?? 0), className: 'num' },
  ];
  return (
    <div className="page">
      <PageHeader
        title={<span data-testid="group-name">{g.Name}</span>}
        badge={<span className="pill">task group</span>}
        crumbs={[
          { to: '/jobs', label: 'Jobs' },
          { to: jobPath(j.ID, ns), label: j.ID },
        ]}
      />
      <StaleBanner error={error} />
      <div className="grid-2">
        <Section title="Details">
          <KeyValues items={facts} testId="group-facts" />
        </Section>
        <Section title="Allocation status">
          {s === undefined ? (
            summary.error ? <ErrorView error={summary.error} what="the job summary" /> : <Loading what="the summary" />
          ) : (
            <div data-testid="group-summary">
              <SummaryBar summary={s} legend label={`${g.Name} allocations`} />
            </div>
          )}
        </Section>
      </div>
      <Section title="Tasks">
        <DataTable label="Tasks" testId="group-tasks" rows={tasks} columns={taskCols} rowKey={(t) => t.Name} empty={<Empty title="No tasks" />} />
      </Section>
      <Section title={`Allocations${allocs.data ? ` (${mine.length})` : ''}`}>
        {allocs.data === undefined ? (
          allocs.error ? <ErrorView error={allocs.error} what="allocations" /> : <Loading what="allocations" />
        ) : (
          <AllocationsTable allocs={mine} show={['node']} pageSize={10} empty={j.Stop ? 'The job is stopped.' : `The scheduler has not placed any allocation of “${g.Name}” yet; see the job’s Evaluations for why.`} />
        )}
      </Section>
      <GroupServices job={j} group={g} allocIds={new Set(mine.map((a) => a.ID))} />
    </div>
  );
}

function GroupServices({ job: j, group: g, allocIds }: { job: Job; group: TaskGroup; allocIds: Set<string> }) {
  const specs = servicesOf(g);
  const regs = useWatch<ServiceRegistration[]>(specs.length ? jobApi(j.ID, j.Namespace, 'services') : null);
  if (specs.length === 0) return null;
  const registered = (s: ServiceSpec): ServiceRegistration[] => (regs.data ?? []).filter((r) => r.ServiceName === s.Name && allocIds.has(r.AllocID));
  const cols: Column<ServiceSpec>[] = [
    {
      key: 'name',
      header: 'Service',
      sort: (s) => s.Name,
      cell: (s) =>
        s.Provider === 'nomad' ? (
          <Link href={servicePath(s.Name, j.Namespace)} className="strong">
            {s.Name}
          </Link>
        ) : (
          <span className="strong">{s.Name}</span>
        ),
    },
    { key: 'task', header: 'Task', cell: (s) => s.TaskName || <span className="muted">group</span> },
    { key: 'provider', header: 'Provider', cell: (s) => s.Provider || 'consul' },
    { key: 'port', header: 'Port', cell: (s) => <span className="mono">{s.PortLabel || '–'}</span> },
    { key: 'tags', header: 'Tags', cell: (s) => <Tags tags={s.Tags} /> },
    { key: 'checks', header: 'Checks', cell: (s) => (s.Checks ?? []).map((c) => `${c.Name || c.Type} (${c.Type}${c.Path ? ` ${c.Path}` : ''}, every ${secs(c.Interval)})`).join('; ') || <span className="muted">none</span> },
    {
      key: 'instances',
      header: 'Registered',
      cell: (s) => {
        if (s.Provider !== 'nomad') return <span className="muted" title="Roam registers only provider = &quot;nomad&quot; services">–</span>;
        const n = registered(s).length;
        return <span className={`badge badge-${n > 0 ? 'good' : 'muted'}`}>{n > 0 ? `${n} running` : 'none'}</span>;
      },
    },
  ];
  return (
    <Section title="Services">
      <DataTable label="Services" testId="group-services" rows={specs} columns={cols} rowKey={(s) => `${s.TaskName}/${s.Name}/${s.PortLabel}`} empty={<Empty title="No services" />} />
    </Section>
  );
}
